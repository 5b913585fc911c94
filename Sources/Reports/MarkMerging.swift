/// One symbol in a lane: one mark of the model, or several of one kind that fall in one column.
struct DrawnMark: Equatable {
    var firstEvent: Int
    var lastEvent: Int
    var kind: TimelineMark.Kind
    /// The tooltip's lines, under the lane and event range that the page adds itself.
    var tooltip: [String]
}

/// Draws at most one symbol per kind per screen column of a lane.
///
/// A thread preempted ten thousand times would otherwise stack ten thousand identical symbols on
/// a few pixels, which costs page size and hides nothing useful: the merged symbol's tooltip still
/// counts them and names their labels.
enum MarkMerging {
    /// Merges `marks`, which belong to one lane, are sorted by event and have `event >= 0`.
    /// The result is sorted by first event.
    static func merge(_ marks: [TimelineMark], eventsPerColumn: Int) -> [DrawnMark] {
        var output: [DrawnMark] = []
        var start = 0
        while start < marks.count {
            let column = marks[start].event / eventsPerColumn
            var end = start + 1
            while end < marks.count, marks[end].event / eventsPerColumn == column {
                end += 1
            }
            let inColumn = marks[start..<end]
            for kind in TimelineMark.Kind.allCases {
                let group = inColumn.filter { $0.kind == kind }
                if let first = group.first, let last = group.last {
                    output.append(DrawnMark(
                        firstEvent: first.event, lastEvent: last.event, kind: kind, tooltip: TooltipText.marks(group)))
                }
            }
            start = end
        }
        return output.sorted { $0.firstEvent < $1.firstEvent }
    }
}
