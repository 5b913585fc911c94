/// One rectangle in a lane: one span of the model, or a run of spans too short to see one by one.
struct DrawnSpan: Equatable {
    var firstEvent: Int
    var lastEvent: Int
    /// The colour: the span's own kind, or for merged spans the kind that covers most events.
    var kind: TimelineSpan.Kind
    /// How many model spans this rectangle stands for. More than one means it is drawn hatched.
    var spanCount: Int
    /// The tooltip's lines, under the lane and event range that the page adds itself.
    var tooltip: [String]

    var isMerged: Bool { spanCount > 1 }
}

/// Replaces runs of spans too short to see with one hatched rectangle each.
///
/// A trace of 10⁵ events on a page 1,000 pixels wide puts about a hundred events in a pixel, so
/// drawing every span would mostly draw invisible slivers while making the page big and slow to
/// write and load. The axis is therefore cut into columns of `eventsPerColumn` events (about half
/// a pixel when the whole trace is shown). A span at least `shortestAlone` columns wide is drawn
/// as it is. Consecutive shorter spans become one rectangle, coloured by the kind that covers most
/// of it, whose tooltip summarises what it hides. So that a change of behaviour inside such a run
/// stays visible, runs are cut every `chunk` columns, and neighbouring pieces are joined again
/// where the same kind dominates. A thread that alternates between running and blocked thousands
/// of times costs a few rectangles, and a lane never needs more than about one per column.
enum SpanMerging {
    static let shortestAlone = 2
    static let chunk = 16

    /// Merges `spans`, which belong to one lane, are sorted by first event and have
    /// `0 <= firstEvent <= lastEvent`. The result is sorted by first event.
    static func merge(_ spans: [TimelineSpan], eventsPerColumn: Int) -> [DrawnSpan] {
        guard eventsPerColumn > 1 else {
            return spans.map(single)
        }
        var merger = Merger(spans: spans, eventsPerColumn: eventsPerColumn)
        return merger.run()
    }

    static func single(_ span: TimelineSpan) -> DrawnSpan {
        DrawnSpan(
            firstEvent: span.firstEvent, lastEvent: span.lastEvent, kind: span.kind, spanCount: 1,
            tooltip: TooltipText.span(span))
    }
}

/// One pass over a lane's spans, cutting runs of short spans into pieces and joining pieces.
private struct Merger {
    let spans: [TimelineSpan]
    let eventsPerColumn: Int
    private var output: [DrawnSpan] = []
    /// The piece of a run of short spans being collected: the indexes of its spans.
    private var piece: Range<Int>?
    /// Pieces collected so far that the next piece may still join.
    private var joined: (spans: Range<Int>, summary: SpanSummary)?

    init(spans: [TimelineSpan], eventsPerColumn: Int) {
        self.spans = spans
        self.eventsPerColumn = eventsPerColumn
    }

    mutating func run() -> [DrawnSpan] {
        for (index, span) in spans.enumerated() {
            if span.lastEvent - span.firstEvent + 1 >= SpanMerging.shortestAlone * eventsPerColumn {
                endPiece()
                endJoined()
                output.append(SpanMerging.single(span))
            } else if let current = piece, isNear(span, after: current),
                span.firstEvent < spans[current.lowerBound].firstEvent + SpanMerging.chunk * eventsPerColumn
            {
                piece = current.lowerBound..<index + 1
            } else {
                endPiece()
                piece = index..<index + 1
            }
        }
        endPiece()
        endJoined()
        return output
    }

    /// Whether `span` continues the spans in `range` without a gap of a column or more.
    private func isNear(_ span: TimelineSpan, after range: Range<Int>) -> Bool {
        span.firstEvent - spans[range.upperBound - 1].lastEvent <= eventsPerColumn
    }

    private mutating func endPiece() {
        guard let current = piece else {
            return
        }
        piece = nil
        var summary = SpanSummary()
        for span in spans[current] {
            summary.add(span)
        }
        if var previous = joined, isNear(spans[current.lowerBound], after: previous.spans),
            previous.summary.mainKind == summary.mainKind
        {
            // Add the piece to the run, not the run to the piece: runs can hold many labels.
            joined = nil
            previous.summary.add(summary)
            joined = (previous.spans.lowerBound..<current.upperBound, previous.summary)
        } else {
            endJoined()
            joined = (current, summary)
        }
    }

    private mutating func endJoined() {
        guard let (range, summary) = joined else {
            return
        }
        joined = nil
        if range.count == 1 {
            output.append(SpanMerging.single(spans[range.lowerBound]))
        } else {
            output.append(DrawnSpan(
                firstEvent: summary.firstEvent, lastEvent: summary.lastEvent, kind: summary.mainKind,
                spanCount: summary.spanCount, tooltip: TooltipText.merged(summary)))
        }
    }
}

/// What a hatched rectangle hides: per kind, how many spans and events, and their labels.
struct SpanSummary {
    var spanCount = 0
    var firstEvent = Int.max
    var lastEvent = Int.min
    /// Indexed by `TimelineSpan.Kind.index`.
    var spansByKind = [0, 0, 0]
    var eventsByKind = [0, 0, 0]
    var labelsByKind: [[String: Int]] = [[:], [:], [:]]

    /// The kind covering the most events; the earlier in `allCases` on a tie.
    var mainKind: TimelineSpan.Kind {
        var main = 0
        for kind in 1..<3 where eventsByKind[kind] > eventsByKind[main] {
            main = kind
        }
        return TimelineSpan.Kind.allCases[main]
    }

    mutating func add(_ span: TimelineSpan) {
        let kind = span.kind.index
        spanCount += 1
        firstEvent = min(firstEvent, span.firstEvent)
        lastEvent = max(lastEvent, span.lastEvent)
        spansByKind[kind] += 1
        eventsByKind[kind] += span.lastEvent - span.firstEvent + 1
        if !span.label.isEmpty {
            labelsByKind[kind][span.label, default: 0] += 1
        }
    }

    mutating func add(_ other: SpanSummary) {
        spanCount += other.spanCount
        firstEvent = min(firstEvent, other.firstEvent)
        lastEvent = max(lastEvent, other.lastEvent)
        for kind in 0..<3 {
            spansByKind[kind] += other.spansByKind[kind]
            eventsByKind[kind] += other.eventsByKind[kind]
            labelsByKind[kind].merge(other.labelsByKind[kind], uniquingKeysWith: +)
        }
    }
}

extension TimelineSpan.Kind {
    /// The kind's position in `allCases`, for per-kind arrays.
    var index: Int {
        switch self {
        case .running: 0
        case .runnable: 1
        case .blocked: 2
        }
    }
}
