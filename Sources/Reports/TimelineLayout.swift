/// What the page draws, worked out from a model before any HTML is written.
///
/// Separating this from the HTML keeps the decisions (axis length, which spans merge, what is
/// ignored) testable without parsing markup. Input is taken as it comes: negative indexes are
/// clamped to 0, a span that ends before it starts is one event wide, and spans or marks naming
/// no lane are counted in `ignoredCount` so that the page can say so instead of hiding them.
struct TimelineLayout {
    /// Columns the axis is cut into for merging. Only spans narrower than
    /// `SpanMerging.shortestAlone` columns, about a pixel on a wide window showing the whole trace,
    /// can be merged.
    static let columns = 2000

    /// The lanes in model order, each with what to draw in it.
    struct Lane {
        var lane: TimelineLane
        var spans: [DrawnSpan]
        var marks: [DrawnMark]
    }

    /// The axis covers event indexes `0..<axisEnd`; never 0, so positions can divide by it.
    let axisEnd: Int
    let eventsPerColumn: Int
    let lanes: [Lane]
    let spanCount: Int
    let markCount: Int
    let ignoredCount: Int

    init(_ model: TimelineModel) {
        var laneIndex: [Int: Int] = [:]
        for (index, lane) in model.lanes.enumerated() where laneIndex[lane.id] == nil {
            laneIndex[lane.id] = index
        }
        var spansByLane = Array(repeating: [TimelineSpan](), count: model.lanes.count)
        var marksByLane = Array(repeating: [TimelineMark](), count: model.lanes.count)
        var end = max(model.eventCount, 1)
        var ignored = 0
        for var span in model.spans {
            guard let index = laneIndex[span.lane] else {
                ignored += 1
                continue
            }
            span.firstEvent = max(span.firstEvent, 0)
            span.lastEvent = max(span.lastEvent, span.firstEvent)
            end = max(end, span.lastEvent + 1)
            spansByLane[index].append(span)
        }
        for var mark in model.marks {
            guard let index = laneIndex[mark.lane] else {
                ignored += 1
                continue
            }
            mark.event = max(mark.event, 0)
            end = max(end, mark.event + 1)
            marksByLane[index].append(mark)
        }
        axisEnd = end
        eventsPerColumn = max(1, (end + Self.columns - 1) / Self.columns)
        lanes = model.lanes.indices.map { [eventsPerColumn] index in
            Lane(
                lane: model.lanes[index],
                spans: SpanMerging.merge(
                    spansByLane[index].sorted { $0.firstEvent < $1.firstEvent }, eventsPerColumn: eventsPerColumn),
                marks: MarkMerging.merge(
                    marksByLane[index].sorted { $0.event < $1.event }, eventsPerColumn: eventsPerColumn))
        }
        spanCount = spansByLane.reduce(0) { $0 + $1.count }
        markCount = marksByLane.reduce(0) { $0 + $1.count }
        ignoredCount = ignored
    }
}
