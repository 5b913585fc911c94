/// Renders a `TimelineModel` as one self-contained HTML page, for `rrdbg timeline -o FILE.html`.
///
/// The page needs nothing but a browser: style, script and data are inline and it makes no
/// network requests, so it can be attached to a bug report or opened from a CI artifact. Text
/// from the traced program is escaped everywhere. Large traces stay light because spans and
/// marks too small to see are merged per screen column (see `SpanMerging`), and the lanes are
/// drawn on a canvas from compact data (see `TimelineData`).
public enum TimelineHTML {
    /// The whole page. Once a browser has laid it out and drawn it, `<body>` carries
    /// `data-lanes` (lanes in the model), `data-lanes-rendered` (lanes laid out with a non-zero
    /// size) and `data-items-drawn` (spans and marks drawn), which a headless browser's
    /// `--dump-dom` shows.
    public static func render(_ model: TimelineModel) -> String {
        let layout = TimelineLayout(model)
        var page = ""
        page.reserveCapacity(16_384 + 40 * layout.lanes.reduce(0) { $0 + $1.spans.count + $1.marks.count })
        page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        TextEscaping.appendHTML("rrdbg timeline · \(model.title)", to: &page)
        page += "</title>\n<style>\n\(TimelineStyle.css)</style>\n</head>\n<body data-lanes=\"\(layout.lanes.count)\">\n"
        appendHeader(model, layout, to: &page)
        appendToolbar(to: &page)
        appendView(layout, to: &page)
        page += "<div id=\"tip\" hidden></div>\n<script type=\"application/json\" id=\"timeline-data\">"
        TimelineData.append(layout, to: &page)
        page += "</script>\n<script>\n\(TimelineScript.javaScript)</script>\n</body>\n</html>\n"
        return page
    }

    private static func appendHeader(_ model: TimelineModel, _ layout: TimelineLayout, to page: inout String) {
        page += "<header>\n<h1>"
        TextEscaping.appendHTML(model.title, to: &page)
        page += "</h1>\n<div class=\"cmd\">"
        TextEscaping.appendHTML(shellQuoted(model.commandLine), to: &page)
        page += "</div>\n<div class=\"stats\">"
        page += "\(count(layout.axisEnd, "event")) · \(count(layout.lanes.count, "lane")) · "
        page += "\(count(layout.spanCount, "span")) · \(count(layout.markCount, "mark"))"
        if layout.eventsPerColumn > 1 {
            let shortest = SpanMerging.shortestAlone * layout.eventsPerColumn
            page += " · neighbouring spans shorter than \(count(shortest, "event")) are merged into hatched bars"
        }
        if layout.ignoredCount > 0 {
            page += " · <span class=\"warning\">\(count(layout.ignoredCount, "span or mark", plural: "spans or marks"))"
            page += " named no lane and are not shown</span>"
        }
        page += "</div>\n</header>\n"
    }

    private static func appendToolbar(to page: inout String) {
        page += "<div class=\"bar\">\n<div class=\"legend\">"
        for kind in TimelineSpan.Kind.allCases {
            page += "<span class=\"item\"><span class=\"swatch \(kind.rawValue)\"></span>\(kind.title)</span>"
        }
        page += "<span class=\"item\"><span class=\"swatch mix\"></span>merged (colour of the main kind)</span>"
        page += "<span class=\"sep\"></span>"
        for kind in TimelineMark.Kind.allCases {
            page += "<span class=\"item\"><svg width=\"12\" height=\"12\" viewBox=\"-6 0 12 11.5\">"
            page += "<path d=\"\(TimelineTheme.symbol(kind))\" fill=\"\(TimelineTheme.color(kind))\"/></svg>\(kind.rawValue)</span>"
        }
        page += "</div>\n<div class=\"zoom\"><span class=\"hint\">ctrl+wheel or + − 0 to zoom · drag or ← → to pan</span>"
        page += "<button id=\"zoom-out\" title=\"Zoom out\">−</button><span id=\"zoom-level\">1.0×</span>"
        page += "<button id=\"zoom-in\" title=\"Zoom in\">+</button><button id=\"zoom-fit\" title=\"Show the whole trace\">Fit</button>"
        page += "</div>\n</div>\n"
    }

    /// A grid: a corner and the axis on top, then the lane labels and the lanes. The lane
    /// elements give the rows their size and stripes; the script draws on the canvas over them.
    private static func appendView(_ layout: TimelineLayout, to page: inout String) {
        page += "<div id=\"view\">\n<div class=\"corner\">thread · event →</div><div id=\"axis-cell\"><canvas id=\"axis\"></canvas></div>\n"
        page += "<div id=\"labels\">"
        var lanes = ""
        var previousProcess: Int32?
        for (index, lane) in layout.lanes.enumerated() {
            var classes = index % 2 == 1 ? " odd" : ""
            if let previousProcess, previousProcess != lane.lane.processID {
                classes += " process"
            }
            previousProcess = lane.lane.processID
            page += "<div class=\"label\(classes)\" title=\""
            TextEscaping.appendHTML(lane.lane.label, to: &page)
            page += "\"><span class=\"ids\">\(lane.lane.identifiers)</span>"
            if !lane.lane.name.isEmpty {
                page += " <span class=\"name\">("
                TextEscaping.appendHTML(lane.lane.name, to: &page)
                page += ")</span>"
            }
            page += "</div>"
            lanes += "<div class=\"lane\(classes)\"></div>"
        }
        if layout.lanes.isEmpty {
            page += "<div class=\"empty\">No threads or processes in this trace.</div>"
        }
        page += "</div>\n<div id=\"tracks\">\(lanes)<canvas id=\"canvas\"></canvas></div>\n</div>\n"
    }

    private static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(value) " + (value == 1 ? noun : plural ?? noun + "s")
    }

    /// The command line as a POSIX shell would need it typed, so it can be copied and rerun.
    static func shellQuoted(_ arguments: [String]) -> String {
        arguments.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || $0.properties.numericType != nil || "_-./=:,+@%^".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
        }.joined(separator: " ")
    }
}
