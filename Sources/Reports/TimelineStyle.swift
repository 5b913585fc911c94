/// The timeline page's style sheet (`Resources/timeline.css`, embedded in the binary at build
/// time) completed with what comes from `TimelineTheme`.
///
/// Inline because the page must be one self-contained file that opens anywhere, offline, with no
/// network requests. Sizes and colours come from `TimelineTheme`, which the drawing script also
/// receives, so rows and drawing line up: the file's `LANE_HEIGHT` becomes the theme's lane
/// height, and the legend's swatch rules, one per span kind, are appended.
enum TimelineStyle {
    private static let laneHeightPlaceholder = "LANE_HEIGHT"

    static var css: String {
        let file = String(decoding: PackageResources.timeline_css, as: UTF8.self)
        var css = file.replacing(laneHeightPlaceholder, with: "\(TimelineTheme.laneHeight)px")
        for kind in TimelineSpan.Kind.allCases {
            css += ".swatch.\(kind.rawValue) { background: \(TimelineTheme.color(kind)); }\n"
        }
        let blocked = TimelineSpan.Kind.blocked
        css += ".swatch.mix { background: repeating-linear-gradient(-45deg, \(TimelineTheme.color(blocked)) 0 3px, "
        css += "\(TimelineTheme.paleColor(blocked)) 3px 6px); }\n"
        return css
    }
}
