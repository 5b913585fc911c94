/// The timeline page's script (`Resources/timeline.js`): draws the lanes and the axis, zooms and
/// pans, shows one shared tooltip, and reports how many lanes were laid out.
///
/// Inline for the same reason as the style sheet, and embedded in the binary at build time so
/// rrdbg needs no files beside it. It reads everything from the page's JSON data (see
/// `TimelineData`) and shows text with `textContent` only, so text from the traced program is
/// never parsed as markup. Only what is visible is drawn, so zooming and panning cost the same
/// however big the trace is. Once drawn it sets `data-lanes-rendered` on `<body>` to the number
/// of lanes whose row and label have a non-zero size and lie under the canvas, and
/// `data-items-drawn` to the spans and marks it drew, so a headless browser's `--dump-dom` proves
/// the page really rendered.
enum TimelineScript {
    /// The script's text, ending with a newline.
    static let javaScript = String(decoding: PackageResources.timeline_js, as: UTF8.self)
}
