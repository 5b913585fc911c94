import BrowserSupport
import Foundation
@testable import Reports
import XCTest

/// Loads rendered timelines into a real headless Chromium. These tests fail when Chromium is not
/// installed (`apt-get install -y chromium`).
final class TimelineBrowserTests: XCTestCase {
    /// Pages and screenshots are kept here after the tests, for a person to look at.
    static let outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-timeline-pages")

    private func write(_ page: String, name: String) throws -> URL {
        try FileManager.default.createDirectory(at: Self.outputDirectory, withIntermediateDirectories: true)
        let url = Self.outputDirectory.appendingPathComponent("\(name).html")
        try Data(page.utf8).write(to: url)
        return url
    }

    private func assertLanesRendered(_ dom: String, _ expected: Int, file: StaticString = #filePath, line: UInt = #line) {
        let rendered = dom.firstMatch(of: /<body[^>]* data-lanes-rendered="(\d+)"/).map { Int($0.1) }
        XCTAssertEqual(rendered, expected, "the page's script did not report \(expected) laid-out lanes", file: file, line: line)
    }

    func testFourThreadsLayOutAndLookRight() throws {
        let browser = try HeadlessBrowser.find()
        let page = try write(TimelineHTML.render(SampleTimelines.fourThreads()), name: "four-threads")
        assertLanesRendered(try browser.dumpDOM(of: page), 4)

        let png = Self.outputDirectory.appendingPathComponent("four-threads.png")
        try browser.screenshot(of: page, to: png, windowWidth: 1200, windowHeight: 800)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        XCTAssertGreaterThan(bytes.count, 10_000, "a screenshot this small is probably blank")
        print("timeline screenshot: \(png.path)")
    }

    func testSixtyFourThreadsAndAHundredThousandEventsLayOut() throws {
        let browser = try HeadlessBrowser.find()
        let page = try write(TimelineHTML.render(SampleTimelines.big(threads: 64, eventCount: 100_000)), name: "big")
        let start = ContinuousClock.now
        let dom = try browser.dumpDOM(of: page)
        print("Chromium loaded and laid out the 64-lane page in \(ContinuousClock.now - start)")
        assertLanesRendered(dom, 64)
        try browser.screenshot(of: page, to: Self.outputDirectory.appendingPathComponent("big.png"))
    }

    /// Drives the page as a person would: hover a span, then zoom with the buttons and keys.
    func testHoverShowsATooltipAndZoomingWorks() throws {
        let browser = try HeadlessBrowser.find()
        let model = TimelineModel(
            title: "hover", commandLine: ["./hover"], eventCount: 1000,
            lanes: [TimelineLane(id: 1, name: "main", processID: 10, threadID: 10),
                    TimelineLane(id: 2, name: "worker", processID: 10, threadID: 11)],
            spans: [TimelineSpan(lane: 1, firstEvent: 0, lastEvent: 999, kind: .running),
                    TimelineSpan(lane: 2, firstEvent: 0, lastEvent: 99, kind: .running),
                    TimelineSpan(lane: 2, firstEvent: 100, lastEvent: 899, kind: .blocked, label: "futex(WAIT, 0x7f00)",
                                 detail: "woken by thread 10")],
            marks: [TimelineMark(lane: 2, event: 100, kind: .signal, label: "SIGUSR1")])
        // Hovers the middle of the worker's bar, then records what the page shows.
        let probe = """
            <script>
            const canvas = document.getElementById('canvas'), box = canvas.getBoundingClientRect();
            const laneHeight = \(TimelineTheme.laneHeight), barMiddle = \(TimelineTheme.barTop + TimelineTheme.barHeight / 2);
            canvas.dispatchEvent(new PointerEvent('pointermove', {
              clientX: box.left + box.width / 2, clientY: box.top + laneHeight + barMiddle, bubbles: true }));
            const tip = document.getElementById('tip'), level = () => document.getElementById('zoom-level').textContent;
            document.body.dataset.tip = tip.hidden ? 'hidden' : tip.textContent;
            document.getElementById('zoom-in').click();
            document.getElementById('zoom-in').click();
            document.body.dataset.zoomedIn = level();
            document.dispatchEvent(new KeyboardEvent('keydown', { key: '0' }));
            document.body.dataset.fitted = level();
            </script>
            """
        let page = TimelineHTML.render(model).replacingOccurrences(of: "</body>", with: probe + "</body>")
        let dom = try browser.dumpDOM(of: try write(page, name: "hover"))
        let body = try XCTUnwrap(dom.firstMatch(of: /<body[^>]*>/).map { String($0.0) })
        XCTAssertTrue(body.contains(#"data-tip="pid 10 · thread 11 (worker)events 100–899 (800 events)blocked: futex(WAIT, 0x7f00)"#
            + "\nwoken by thread 10\""), body)
        XCTAssertTrue(body.contains(#"data-zoomed-in="4.0×""#), body)
        XCTAssertTrue(body.contains(#"data-fitted="1.0×""#), body)
        try browser.screenshot(of: try write(page, name: "hover"), to: Self.outputDirectory.appendingPathComponent("hover.png"))
    }

    /// Markup in text from the traced program must stay text: nothing in it may run.
    func testHostileLabelsDoNotRun() throws {
        let browser = try HeadlessBrowser.find()
        let attack = #"<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=2</script>"#
        let model = TimelineModel(
            title: attack, commandLine: [attack], eventCount: 10,
            lanes: [TimelineLane(id: 1, name: attack, processID: 1, threadID: 1)],
            spans: [TimelineSpan(lane: 1, firstEvent: 0, lastEvent: 9, kind: .running, label: attack, detail: attack)],
            marks: [TimelineMark(lane: 1, event: 3, kind: .signal, label: attack, detail: attack)])
        let dom = try browser.dumpDOM(of: try write(TimelineHTML.render(model), name: "hostile"))
        assertLanesRendered(dom, 1)
        XCTAssertFalse(dom.contains("data-pwned"), "text from the trace ran as script")
        XCTAssertFalse(dom.contains("<img"), "text from the trace became an element")
    }
}
