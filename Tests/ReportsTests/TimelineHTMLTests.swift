@testable import Reports
import XCTest

final class TimelineHTMLTests: XCTestCase {
    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testLaneLabels() {
        XCTAssertEqual(TimelineLane(id: 0, name: "worker", processID: 1234, threadID: 1235).label, "pid 1234 · thread 1235 (worker)")
        XCTAssertEqual(TimelineLane(id: 0, name: "", processID: 1234, threadID: 1234).label, "pid 1234 · thread 1234")
        XCTAssertEqual(TimelineLane(id: 0, name: "make", processID: 77, threadID: nil).label, "pid 77 (make)")
    }

    func testOneRowAndLabelPerLane() {
        let page = TimelineHTML.render(SampleTimelines.fourThreads())
        XCTAssertEqual(occurrences(of: #"<div class="lane"#, in: page), 4)
        XCTAssertEqual(occurrences(of: #"<div class="label"#, in: page), 4)
        XCTAssertEqual(occurrences(of: #"{"spans":["#, in: page), 4)
        XCTAssertTrue(page.contains(#"<body data-lanes="4">"#))
        XCTAssertTrue(page.contains(#"<span class="ids">pid 4100 · thread 4102</span> <span class="name">(worker-2)</span>"#))
        XCTAssertTrue(page.contains("<div class=\"cmd\">./demo --workers 3 --input &#39;data set.txt&#39;</div>"))
    }

    func testTextFromTheTraceIsEscapedEverywhere() {
        let hostile = #"</title></script><script>alert("x")</script> & 'q' \#u{1B}"#
        let model = TimelineModel(
            title: hostile, commandLine: ["run", hostile], eventCount: 5,
            lanes: [TimelineLane(id: 9, name: hostile, processID: 1, threadID: 2)],
            spans: [TimelineSpan(lane: 9, firstEvent: 0, lastEvent: 4, kind: .blocked, label: hostile, detail: "line 1\n" + hostile)],
            marks: [TimelineMark(lane: 9, event: 2, kind: .other, label: hostile, detail: hostile)])
        let page = TimelineHTML.render(model)
        XCTAssertEqual(occurrences(of: "<script", in: page), 2, "only the page's data and script")
        XCTAssertEqual(occurrences(of: "</script>", in: page), 2)
        XCTAssertEqual(occurrences(of: "</title>", in: page), 1)
        XCTAssertFalse(page.contains("alert(\""))
        XCTAssertFalse(page.contains("\u{1B}"))
        let html = "&lt;/title&gt;&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; \u{241B}"
        // The title, heading, and the lane's label and its title attribute.
        XCTAssertEqual(occurrences(of: html, in: page), 4)
        XCTAssertTrue(page.contains("<div class=\"cmd\">run &#39;&lt;/title&gt;&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)"
            + "&lt;/script&gt; &amp; &#39;\\&#39;&#39;q&#39;\\&#39;&#39; \u{241B}&#39;</div>"))
        let json = #"\u003c/title\u003e\u003c/script\u003e\u003cscript\u003ealert(\"x\")\u003c/script\u003e \u0026 'q' \#u{241B}"#
        XCTAssertTrue(page.contains(#""blocked: \#(json)\nline 1\n\#(json)""#))
        XCTAssertTrue(page.contains(#""other: \#(json)\n\#(json)""#))
    }

    func testAnEmptyModelStillMakesAPage() {
        let page = TimelineHTML.render(TimelineModel(title: "", commandLine: [], eventCount: 0, lanes: []))
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.hasSuffix("</html>\n"))
        XCTAssertTrue(page.contains(#"<body data-lanes="0">"#))
        XCTAssertTrue(page.contains(#"{"axisEnd":1,"eventsPerColumn":1,"#))
        XCTAssertTrue(page.contains("No threads or processes in this trace."))
    }

    func testThePageLoadsNothingFromTheNetwork() {
        let page = TimelineHTML.render(SampleTimelines.fourThreads())
        for reference in ["http:", "https:", "src=", "<link", "@import", "url(", "fetch(", "XMLHttpRequest", "import("] {
            XCTAssertFalse(page.contains(reference), reference)
        }
        // Every "//" starts a script comment, never a protocol-relative address.
        XCTAssertTrue(page.components(separatedBy: "//").dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    /// The style sheet and script are files embedded at build time; the theme fills in the
    /// style sheet's lane height and its legend colours.
    func testTheEmbeddedStyleSheetAndScriptAreComplete() {
        let page = TimelineHTML.render(SampleTimelines.fourThreads())
        XCTAssertTrue(page.contains("<style>\n:root { --lane: \(TimelineTheme.laneHeight)px; --axis: 28px;\n"))
        XCTAssertFalse(page.contains("LANE_HEIGHT"))
        XCTAssertTrue(page.contains(".swatch.blocked { background: \(TimelineTheme.color(TimelineSpan.Kind.blocked)); }\n"))
        XCTAssertTrue(page.contains(" 3px 6px); }\n</style>"))
        XCTAssertTrue(page.contains("<script>\n(() => {\n  'use strict';\n"))
        XCTAssertTrue(page.contains("\n})();\n</script>\n</body>"))
    }

    func testLayoutClampsBadInputAndCountsOrphans() {
        let model = TimelineModel(
            title: "t", commandLine: [], eventCount: 10, lanes: [TimelineLane(id: 3, name: "", processID: 1, threadID: 1)],
            spans: [
                TimelineSpan(lane: 3, firstEvent: -5, lastEvent: 2, kind: .running),
                TimelineSpan(lane: 3, firstEvent: 8, lastEvent: 4, kind: .blocked),
                TimelineSpan(lane: 4, firstEvent: 0, lastEvent: 1, kind: .running),
            ],
            marks: [TimelineMark(lane: 3, event: 40, kind: .exited), TimelineMark(lane: 5, event: 1, kind: .signal)])
        let layout = TimelineLayout(model)
        XCTAssertEqual(layout.axisEnd, 41)
        XCTAssertEqual(layout.ignoredCount, 2)
        XCTAssertEqual(layout.lanes[0].spans.map(\.firstEvent), [0, 8])
        XCTAssertEqual(layout.lanes[0].spans.map(\.lastEvent), [2, 8])
        XCTAssertTrue(TimelineHTML.render(model).contains("2 spans or marks named no lane and are not shown"))
    }

    func testShellQuoting() {
        XCTAssertEqual(TimelineHTML.shellQuoted(["./a.out", "-n", "3", "x=y", "it's", "", "a b", "$HOME"]),
                       #"./a.out -n 3 x=y 'it'\''s' '' 'a b' '$HOME'"#)
    }

    /// 64 threads and 10⁵ events: rendering must stay interactive and the page small.
    func testABigTraceRendersQuicklyAndCompactly() {
        let model = SampleTimelines.big(threads: 64, eventCount: 100_000)
        let start = ContinuousClock.now
        let page = TimelineHTML.render(model)
        let elapsed = ContinuousClock.now - start
        let layout = TimelineLayout(model)
        let drawn = layout.lanes.reduce(0) { $0 + $1.spans.count + $1.marks.count }
        print("big timeline: \(model.spans.count) spans and \(model.marks.count) marks drawn as \(drawn) elements, "
              + "\(page.utf8.count / 1024) KiB, rendered in \(elapsed)")
        XCTAssertEqual(occurrences(of: #"<div class="lane"#, in: page), 64)
        XCTAssertLessThan(elapsed, .seconds(1))
        XCTAssertLessThan(page.utf8.count, 12 << 20)
    }
}
