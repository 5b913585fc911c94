@testable import Reports
import XCTest

final class MarkMergingTests: XCTestCase {
    private func mark(_ event: Int, _ kind: TimelineMark.Kind, _ label: String = "") -> TimelineMark {
        TimelineMark(lane: 0, event: event, kind: kind, label: label, detail: "detail \(event)")
    }

    func testMarksOfOneKindInOneColumnMerge() {
        let marks = [mark(0, .preempted), mark(3, .signal, "SIGUSR1"), mark(5, .preempted), mark(9, .signal, "SIGUSR1"),
                     mark(9, .signal, "SIGALRM"), mark(10, .preempted)]
        let drawn = MarkMerging.merge(marks, eventsPerColumn: 10)
        XCTAssertEqual(drawn.map(\.kind), [.preempted, .signal, .preempted])
        XCTAssertEqual(drawn[0].tooltip, ["2 preempted marks"])
        XCTAssertEqual(drawn.map(\.firstEvent), [0, 3, 10])
        XCTAssertEqual(drawn.map(\.lastEvent), [5, 9, 10])
        XCTAssertEqual(drawn[1].tooltip, ["3 signal marks", "SIGUSR1 ×2, SIGALRM"])
    }

    func testASingleMarkShowsItsDetail() {
        let drawn = MarkMerging.merge([mark(4, .exited, "exit(3)")], eventsPerColumn: 1)
        XCTAssertEqual(drawn, [DrawnMark(firstEvent: 4, lastEvent: 4, kind: .exited, tooltip: ["exited: exit(3)", "detail 4"])])
    }
}
