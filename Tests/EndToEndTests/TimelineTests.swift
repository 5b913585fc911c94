import BrowserSupport
import Foundation
import XCTest

/// `rrdbg timeline` on real recordings, with the pages loaded into a real headless Chromium.
/// These tests fail when Chromium is not installed (`apt-get install -y chromium`).
final class TimelineTests: ScratchTestCase {
    /// Pages and screenshots are kept here after the tests, for a person to look at.
    static let outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-timeline-pages")

    func testFourThreadsTakingAMutexShowAsFiveLanes() throws {
        let program = try GuestPrograms.build("mutex_order", in: scratch)
        let (recorded, trace) = try record([program], trace: "mutex_order-0")
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let pages = path("pages")
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)

        let result = try RRDBGCommand.run(["timeline", trace], currentDirectory: pages)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("(5 threads, "), result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix(" to mutex_order-0.html\n"), "by default the page goes to the current directory: \(result.stderr)")
        let page = pages + "/mutex_order-0.html"
        var info = stat()
        XCTAssertEqual(stat(page, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "the page holds data from the trace")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("<span class=\"name\">(mutex_order)</span>"), "the main thread is named after the program")
        XCTAssertTrue(html.contains("blocked: futex("), "the main thread waits for the workers in futex")

        let browser = try HeadlessBrowser.find()
        let dom = try browser.dumpDOM(of: URL(fileURLWithPath: page))
        let rendered = dom.firstMatch(of: /<body[^>]* data-lanes-rendered="(\d+)"/).flatMap { Int($0.1) }
        XCTAssertGreaterThanOrEqual(rendered ?? 0, 5, "the main thread and four workers")
        try keepForAPerson(page: page, name: "recorded-mutex_order", browser: browser)
    }

    /// A deadlock recorded with --timeout: every thread is still blocked where the recording
    /// ended, and the page draws each lane blocked to its right edge. Hovering there shows why.
    func testADeadlockEndedByTimeoutIsBlockedToTheEnd() throws {
        let program = try GuestPrograms.build("deadlock", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "2"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let page = path("deadlock.html")
        let result = try RRDBGCommand.run(["timeline", "-o", page, trace])
        XCTAssertEqual(result.status, 0, result.stderr)

        // Hovers the right end of every lane, then records the tooltips.
        let probe = """
            <script>
            const data = JSON.parse(document.getElementById('timeline-data').textContent);
            const canvas = document.getElementById('canvas'), box = canvas.getBoundingClientRect();
            const tip = document.getElementById('tip'), ends = [];
            for (let lane = 0; lane < data.lanes.length; lane++) {
              canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.right - 12,
                clientY: box.top + lane * data.laneHeight + data.barTop + data.barHeight / 2, bubbles: true }));
              ends.push(tip.hidden ? 'nothing' : tip.textContent);
            }
            document.body.dataset.laneEnds = ends.join(' ||| ');
            </script>
            """
        let probed = path("deadlock-probed.html")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        try html.replacingOccurrences(of: "</body>", with: probe + "</body>").write(toFile: probed, atomically: true, encoding: .utf8)
        let browser = try HeadlessBrowser.find()
        let dom = try browser.dumpDOM(of: URL(fileURLWithPath: probed))
        let ends = try XCTUnwrap(dom.firstMatch(of: /data-lane-ends="([^"]*)"/).map { String($0.1) }, dom)
            .components(separatedBy: " ||| ")
        XCTAssertEqual(ends.count, 3, "the main thread and two workers: \(ends)")
        for end in ends {
            XCTAssertTrue(end.contains("blocked: futex("), end)
            XCTAssertTrue(end.contains("still waiting when --timeout ended the recording"), end)
        }
        try keepForAPerson(page: page, name: "recorded-deadlock", browser: browser)
    }

    func testABundleAndAnOutputDirectory() throws {
        let program = try GuestPrograms.build("counter", in: scratch)
        let (_, trace) = try record([program])
        let environment = ["XDG_CACHE_HOME": path("cache"), "RRDBG_TRACE_DIR": path("root")]
        XCTAssertEqual(try RRDBGCommand.run(["pack", trace, "-o", path("counter-7.rrdbg")], environment: environment).status, 0)
        let pages = path("pages")
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)

        let result = try RRDBGCommand.run(["timeline", path("counter-7.rrdbg"), "-o", pages], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("(1 thread, "), result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: pages + "/counter-7.html"), "named after the bundle: \(result.stderr)")

        let missing = try RRDBGCommand.run(["timeline", path("no-such-trace")], environment: environment)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.hasPrefix("rrdbg: "), missing.stderr)
        let help = try RRDBGCommand.run(["timeline", "--help"])
        XCTAssertTrue(help.stdoutText.contains("Example: rrdbg timeline"), help.stdoutText)
    }

    /// Copies the page where a person can open it, takes a screenshot beside it, and checks
    /// that the screenshot is a PNG with something on it.
    private func keepForAPerson(page: String, name: String, browser: HeadlessBrowser) throws {
        try FileManager.default.createDirectory(at: Self.outputDirectory, withIntermediateDirectories: true)
        let kept = Self.outputDirectory.appendingPathComponent(name + ".html")
        try? FileManager.default.removeItem(at: kept)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: page), to: kept)
        let png = Self.outputDirectory.appendingPathComponent(name + ".png")
        try browser.screenshot(of: kept, to: png, windowWidth: 1200, windowHeight: 600)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        XCTAssertGreaterThan(bytes.count, 10_000, "a screenshot this small is probably blank")
        print("timeline screenshot: \(png.path)")
    }
}
