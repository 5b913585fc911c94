/// The lines of text a tooltip shows for a span, a merged run of spans, or a group of marks.
///
/// Written here rather than in the page's script so that the wording is plain Swift, tested like
/// the rest. The page adds the lane's label and the event range above these lines. Lines are not
/// escaped yet; the page writer does that.
enum TooltipText {
    /// How many distinct labels a summary names before saying "more".
    static let labelLimit = 3

    static func span(_ span: TimelineSpan) -> [String] {
        [headline(span.kind.title, span.label)] + lines(of: span.detail)
    }

    static func merged(_ summary: SpanSummary) -> [String] {
        let total = summary.eventsByKind.reduce(0, +)
        let kinds = TimelineSpan.Kind.allCases.filter { summary.spansByKind[$0.index] > 0 }
            .sorted { summary.eventsByKind[$0.index] > summary.eventsByKind[$1.index] }
        var text = ["\(summary.spanCount) spans too short to draw one by one:"]
        for kind in kinds {
            let spans = summary.spansByKind[kind.index]
            var line = "\(kind.title) \(percent(summary.eventsByKind[kind.index], of: total))"
            line += " · \(spans) span\(spans == 1 ? "" : "s")"
            let labels = labelList(summary.labelsByKind[kind.index])
            if !labels.isEmpty {
                line += ": " + labels
            }
            text.append(line)
        }
        return text
    }

    /// `marks` are non-empty and all of one kind.
    static func marks(_ marks: [TimelineMark]) -> [String] {
        let kind = marks[0].kind
        if marks.count == 1 {
            return [headline(kind.rawValue, marks[0].label)] + lines(of: marks[0].detail)
        }
        var labels: [String: Int] = [:]
        for mark in marks where !mark.label.isEmpty {
            labels[mark.label, default: 0] += 1
        }
        let summary = labelList(labels)
        return ["\(marks.count) \(kind.rawValue) marks"] + (summary.isEmpty ? [] : [summary])
    }

    private static func headline(_ kind: String, _ label: String) -> String {
        label.isEmpty ? kind : "\(kind): \(label)"
    }

    private static func lines(of detail: String) -> [String] {
        detail.isEmpty ? [] : detail.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The most frequent labels first, such as `futex(WAIT, 0x7f…) ×12, read(3) ×2, +4 more`.
    /// A merged run can hold thousands of distinct labels, so only the first few are ranked.
    static func labelList(_ counts: [String: Int]) -> String {
        func ranksBefore(_ a: (key: String, value: Int), _ b: (key: String, value: Int)) -> Bool {
            a.value != b.value ? a.value > b.value : a.key < b.key
        }
        var top: [(key: String, value: Int)] = []
        for entry in counts where top.count < labelLimit || ranksBefore(entry, top[top.count - 1]) {
            top.insert(entry, at: top.firstIndex { ranksBefore(entry, $0) } ?? top.count)
            if top.count > labelLimit {
                top.removeLast()
            }
        }
        var parts = top.map { $0.value > 1 ? "\($0.key) ×\($0.value)" : $0.key }
        if counts.count > labelLimit {
            parts.append("+\(counts.count - labelLimit) more")
        }
        return parts.joined(separator: ", ")
    }

    /// A share as a whole percentage, never rounding a non-zero share down to "0%".
    static func percent(_ part: Int, of total: Int) -> String {
        guard total > 0, part > 0 else {
            return "0%"
        }
        let rounded = (part * 100 + total / 2) / total
        return rounded == 0 ? "<1%" : "\(rounded)%"
    }
}

extension TimelineSpan.Kind {
    /// The kind as tooltips and the legend name it.
    var title: String {
        switch self {
        case .running: "running"
        case .runnable: "runnable (waiting for the CPU)"
        case .blocked: "blocked"
        }
    }
}
