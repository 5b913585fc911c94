/// The page's data: what its script draws, as one JSON document in a
/// `<script type="application/json">` element.
///
/// The page draws on a canvas from this compact data rather than holding one SVG element per
/// span, because a browser parses and lays out tens of thousands of elements slowly (seconds for
/// 10⁵ events) and lays them all out again on every zoom. Each span or mark is four numbers in a
/// flat array (first event, last event, kind, tooltip), and tooltip texts are stored once each,
/// since many items share one.
enum TimelineData {
    /// Span kinds are coded by `TimelineSpan.Kind.index`, plus this when the span is merged.
    static let mergedKindOffset = 3

    static func append(_ layout: TimelineLayout, to page: inout String) {
        page += #"{"axisEnd":\#(layout.axisEnd),"eventsPerColumn":\#(layout.eventsPerColumn),"#
        page += #""laneHeight":\#(TimelineTheme.laneHeight),"barTop":\#(TimelineTheme.barTop),"#
        page += #""barHeight":\#(TimelineTheme.barHeight),"mergedKindOffset":\#(mergedKindOffset),"#
        appendList("spanColors", TimelineSpan.Kind.allCases.map(TimelineTheme.color), to: &page)
        appendList("paleColors", TimelineSpan.Kind.allCases.map(TimelineTheme.paleColor), to: &page)
        appendList("markColors", TimelineMark.Kind.allCases.map(TimelineTheme.color), to: &page)
        appendList("markSymbols", TimelineMark.Kind.allCases.map(TimelineTheme.symbol), to: &page)
        var texts = TextTable()
        page += #""lanes":["#
        for (index, lane) in layout.lanes.enumerated() {
            page += index == 0 ? #"{"spans":["# : #",{"spans":["#
            for (item, span) in lane.spans.enumerated() {
                let kind = span.kind.index + (span.isMerged ? mergedKindOffset : 0)
                appendItem(item, span.firstEvent, span.lastEvent, kind, texts.index(of: span.tooltip), to: &page)
            }
            page += #"],"marks":["#
            for (item, mark) in lane.marks.enumerated() {
                appendItem(item, mark.firstEvent, mark.lastEvent, mark.kind.index, texts.index(of: mark.tooltip), to: &page)
            }
            page += "]}"
        }
        page += #"],"texts":["#
        for (index, lines) in texts.lines.enumerated() {
            if index > 0 {
                page += ","
            }
            TextEscaping.appendJSON(lines: lines, to: &page)
        }
        page += "]}"
    }

    private static func appendItem(_ item: Int, _ first: Int, _ last: Int, _ kind: Int, _ text: Int, to page: inout String) {
        if item > 0 {
            page += ","
        }
        page += String(first)
        page += ","
        page += String(last)
        page += ","
        page += String(kind)
        page += ","
        page += String(text)
    }

    private static func appendList(_ key: String, _ values: [String], to page: inout String) {
        page += "\"\(key)\":["
        for (index, value) in values.enumerated() {
            if index > 0 {
                page += ","
            }
            TextEscaping.appendJSON(lines: [value], to: &page)
        }
        page += "],"
    }
}

/// Tooltip texts, each stored once and referred to by index.
private struct TextTable {
    private(set) var lines: [[String]] = []
    private var indexes: [[String]: Int] = [:]

    mutating func index(of text: [String]) -> Int {
        if let index = indexes[text] {
            return index
        }
        lines.append(text)
        indexes[text] = lines.count - 1
        return lines.count - 1
    }
}

extension TimelineMark.Kind {
    /// The kind's position in `allCases`, as the page's data codes it.
    var index: Int {
        switch self {
        case .created: 0
        case .exited: 1
        case .signal: 2
        case .preempted: 3
        case .other: 4
        }
    }
}
