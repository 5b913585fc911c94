@testable import Reports
import XCTest

final class SpanMergingTests: XCTestCase {
    private func span(_ first: Int, _ last: Int, _ kind: TimelineSpan.Kind, _ label: String = "") -> TimelineSpan {
        TimelineSpan(lane: 0, firstEvent: first, lastEvent: last, kind: kind, label: label)
    }

    /// Spans that alternate kinds every `width` events, from 0 to `end`.
    private func alternating(_ kinds: [TimelineSpan.Kind], width: Int, from start: Int = 0, to end: Int) -> [TimelineSpan] {
        stride(from: start, to: end, by: width).enumerated().map { index, first in
            span(first, min(first + width, end) - 1, kinds[index % kinds.count], "call\(index % 3)")
        }
    }

    func testNothingMergesWhenEveryEventHasItsOwnColumn() {
        let spans = alternating([.running, .blocked], width: 1, to: 50)
        XCTAssertEqual(SpanMerging.merge(spans, eventsPerColumn: 1), spans.map(SpanMerging.single))
    }

    func testSpansWiderThanAColumnStayExact() {
        let spans = [span(0, 99, .running), span(100, 349, .blocked, "read(3)"), span(350, 999, .runnable)]
        let drawn = SpanMerging.merge(spans, eventsPerColumn: 10)
        XCTAssertEqual(drawn, spans.map(SpanMerging.single))
        XCTAssertEqual(drawn[1].tooltip, ["blocked: read(3)"])
    }

    func testManyTinySpansBecomeOneHatchedBar() {
        // Blocked three events, running one: 500 spans in 1,000 events.
        let spans = (0..<250).flatMap { [span($0 * 4, $0 * 4 + 2, .blocked, "futex"), span($0 * 4 + 3, $0 * 4 + 3, .running)] }
        let drawn = SpanMerging.merge(spans, eventsPerColumn: 10)
        XCTAssertEqual(drawn.count, 1)
        XCTAssertEqual(drawn[0].firstEvent, 0)
        XCTAssertEqual(drawn[0].lastEvent, 999)
        XCTAssertEqual(drawn[0].kind, .blocked)
        XCTAssertEqual(drawn[0].spanCount, 500)
        XCTAssertEqual(drawn[0].tooltip, [
            "500 spans too short to draw one by one:",
            "blocked 75% · 250 spans: futex ×250",
            "running 25% · 250 spans",
        ])
    }

    func testMergedRunsSplitWhereTheMainKindChanges() {
        // Pieces are 16 columns (160 events) long, so the change at 640 falls between two.
        let busy = alternating([.running, .running, .blocked], width: 2, to: 640)
        let waiting = alternating([.runnable, .runnable, .running], width: 2, from: 640, to: 1280)
        let drawn = SpanMerging.merge(busy + waiting, eventsPerColumn: 10)
        XCTAssertEqual(drawn.map(\.kind), [.running, .runnable])
        XCTAssertEqual(drawn.map(\.firstEvent), [0, 640])
        XCTAssertEqual(drawn.map(\.lastEvent), [639, 1279])
        XCTAssertEqual(drawn.map(\.spanCount), [busy.count, waiting.count])
    }

    func testFlickeringRunsStayBounded() {
        // The main kind changes every 50 events: far more often than pieces are cut.
        let spans = (0..<10_000).map { span($0, $0, ($0 / 50) % 2 == 0 ? .running : .blocked) }
        let drawn = SpanMerging.merge(spans, eventsPerColumn: 10)
        XCTAssertLessThanOrEqual(drawn.count, 10_000 / (10 * SpanMerging.chunk) + 1)
        XCTAssertEqual(drawn.map(\.spanCount).reduce(0, +), spans.count)
    }

    func testAShortSpanOnItsOwnIsNotHatched() {
        let spans = [span(0, 499, .blocked), span(500, 502, .running, "brief"), span(503, 999, .blocked)]
        XCTAssertEqual(SpanMerging.merge(spans, eventsPerColumn: 10), spans.map(SpanMerging.single))
    }

    func testLongSpansBetweenBusyStretchesStayExact() {
        let spans = alternating([.running, .blocked], width: 1, to: 100) + [span(100, 899, .blocked, "poll")]
            + alternating([.running, .runnable], width: 1, from: 900, to: 1000)
        let drawn = SpanMerging.merge(spans, eventsPerColumn: 10)
        XCTAssertEqual(drawn.map(\.spanCount), [100, 1, 100])
        XCTAssertEqual(drawn[1].firstEvent, 100)
        XCTAssertEqual(drawn[1].lastEvent, 899)
        XCTAssertEqual(drawn[1].tooltip, ["blocked: poll"])
    }

    func testGapsSeparateMergedRuns() {
        let spans = alternating([.running, .blocked], width: 1, to: 50) + alternating([.running, .blocked], width: 1, from: 500, to: 550)
        let drawn = SpanMerging.merge(spans, eventsPerColumn: 10)
        XCTAssertEqual(drawn.map(\.firstEvent), [0, 500])
        XCTAssertEqual(drawn.map(\.lastEvent), [49, 549])
    }

    /// Lanes should not overlap, but an adapter bug must not crash the report or lose spans.
    func testOverlappingSpansAreAllDrawn() {
        let spans = [span(0, 999, .blocked), span(10, 12, .running), span(500, 700, .runnable)]
        XCTAssertEqual(SpanMerging.merge(spans, eventsPerColumn: 10), spans.map(SpanMerging.single))
    }

    func testLabelListsNameTheMostFrequentFirst() {
        let list = TooltipText.labelList(["b": 2, "a": 2, "c": 5, "d": 1, "e": 1])
        XCTAssertEqual(list, "c ×5, a ×2, b ×2, +2 more")
    }

    func testPercentagesNeverRoundASmallShareToZero() {
        XCTAssertEqual(TooltipText.percent(1, of: 1000), "<1%")
        XCTAssertEqual(TooltipText.percent(0, of: 1000), "0%")
        XCTAssertEqual(TooltipText.percent(2, of: 3), "67%")
    }
}
