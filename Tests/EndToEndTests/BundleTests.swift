import Foundation
import XCTest

/// `rrdbg pack`, bundles given wherever a trace is expected, and `rrdbg rm`, through the real
/// binary and the real gdb.
final class BundleTests: ScratchTestCase {
    private var previousCache: String?

    /// Bundles are unpacked under the scratch directory and recordings go there too.
    private var environment: [String: String] { ["XDG_CACHE_HOME": path("cache"), "RRDBG_TRACE_DIR": path("root")] }

    override func setUpWithError() throws {
        try super.setUpWithError()
        // GDBHarness starts rrdbg with this process's environment.
        previousCache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", path("cache"), 1)
    }

    override func tearDownWithError() throws {
        if let previousCache { setenv("XDG_CACHE_HOME", previousCache, 1) } else { unsetenv("XDG_CACHE_HOME") }
        try super.tearDownWithError()
    }

    /// Records `guest` (built with -g), packs it to `name` in a directory of its own, deletes
    /// the trace and the executable, and moves the bundle elsewhere. Returns the recording's
    /// result and the bundle's final path.
    private func packedRecording(of guest: String, optimization: String = "-O1") throws -> (RRDBGCommand.Result, String) {
        let program = try GuestPrograms.build(guest, in: scratch, optimization: optimization)
        let (recorded, trace) = try record([program])
        let packing = path("packing")
        try FileManager.default.createDirectory(atPath: packing, withIntermediateDirectories: true)
        let packed = try RRDBGCommand.run(["pack", trace], environment: environment, currentDirectory: packing)
        XCTAssertEqual(packed.status, 0, packed.stderr)
        XCTAssertTrue(packed.stderr.contains("rrdbg: packed \(trace) into trace.rrdbg"), packed.stderr)
        var info = stat()
        XCTAssertEqual(stat(packing + "/trace.rrdbg", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        try FileManager.default.removeItem(atPath: trace)
        try FileManager.default.removeItem(atPath: program)
        let elsewhere = path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let bundle = elsewhere + "/" + guest + ".rrdbg"
        try FileManager.default.moveItem(atPath: packing + "/trace.rrdbg", toPath: bundle)
        return (recorded, bundle)
    }

    func testABundleReplaysWithoutTheTraceOrTheProgram() throws {
        let (recorded, bundle) = try packedRecording(of: "counter")
        XCTAssertFalse(recorded.stdout.isEmpty)
        for attempt in ["first use unpacks", "second use reuses"] {
            let replayed = try RRDBGCommand.run(["replay", bundle], environment: environment)
            XCTAssertEqual(replayed.status, recorded.status, "\(attempt): \(replayed.stderr)")
            XCTAssertEqual(replayed.stdout, recorded.stdout, attempt)
        }
        let info = try RRDBGCommand.run(["info", bundle], environment: environment)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdoutText.contains("complete:     yes"), info.stdoutText)
        XCTAssertTrue(info.stdoutText.contains("/counter"), info.stdoutText)
        let dump = try RRDBGCommand.run(["dump", bundle], environment: environment)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        XCTAssertTrue(dump.stdoutText.contains("exited with status 0"), dump.stdoutText)
    }

    func testTheExitStatusSurvivesPacking() throws {
        let (recorded, bundle) = try packedRecording(of: "exit42")
        XCTAssertEqual(recorded.status, 42)
        let replayed = try RRDBGCommand.run(["replay", bundle], environment: environment)
        XCTAssertEqual(replayed.status, 42, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }

    func testGDBFindsFunctionsAndLinesInABundle() throws {
        let (_, bundle) = try packedRecording(of: "counter", optimization: "-O0")
        let harness = try GDBHarness(trace: bundle)
        let output = try harness.gdb(["break bump", "continue", "bt", "delete", "continue"], executable: nil)
        XCTAssertTrue(output.contains("Breakpoint 1, bump (by=1) at"), output)
        XCTAssertNotNil(output.range(of: #"#0 +bump \(by=1\) at \S*counter\.c:8"#, options: .regularExpression), output)
        XCTAssertNotNil(output.range(of: #"#1 +0x[0-9a-f]+ in main \(\) at \S*counter\.c:15"#, options: .regularExpression), output)
        XCTAssertEqual(harness.waitForStub(), 0)
    }

    func testDamagedBundlesAreRefused() throws {
        let (_, bundle) = try packedRecording(of: "exit42")
        let original = try Data(contentsOf: URL(fileURLWithPath: bundle))

        var flipped = original
        flipped[flipped.count / 2] ^= 0x40
        let damaged = path("damaged.rrdbg")
        try flipped.write(to: URL(fileURLWithPath: damaged))
        let replayed = try RRDBGCommand.run(["replay", damaged], environment: environment)
        XCTAssertEqual(replayed.status, 124, replayed.stderr)
        XCTAssertTrue(replayed.stderr.hasPrefix("rrdbg: bundle \(damaged) is corrupt: "), replayed.stderr)
        XCTAssertTrue(replayed.stdout.isEmpty, "nothing of a damaged bundle is replayed")

        let cut = path("cut.rrdbg")
        try original.prefix(original.count - 1000).write(to: URL(fileURLWithPath: cut))
        let info = try RRDBGCommand.run(["info", cut], environment: environment)
        XCTAssertEqual(info.status, 124, info.stderr)
        XCTAssertTrue(info.stderr.contains("is truncated: it has \(original.count - 1000) of its \(original.count) bytes"), info.stderr)

        let cache = path("cache/rrdbg/bundles")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        XCTAssertEqual(left, [], "no partial extraction is kept")
    }

    func testRemoveDeletesRecordingsAndMovesLatest() throws {
        let program = try GuestPrograms.build("exit42", in: scratch)
        for _ in 0..<3 {
            XCTAssertEqual(try RRDBGCommand.run(["record", "--", program], environment: environment).status, 42)
        }
        let root = path("root")
        try FileManager.default.createDirectory(atPath: root + "/notatrace", withIntermediateDirectories: true)
        func latest() -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/latest") }
        XCTAssertEqual(latest(), "exit42-2")

        let removed = try RRDBGCommand.run(["rm", "exit42-2"], environment: environment)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/exit42-2"))
        XCTAssertEqual(latest(), "exit42-1")

        let unknown = try RRDBGCommand.run(["rm", "exit42-0", "nosuch"], environment: environment)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no recording named 'nosuch'"), unknown.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/exit42-0"), "nothing is removed unless all are found")

        let notATrace = try RRDBGCommand.run(["rm", "notatrace"], environment: environment)
        XCTAssertEqual(notATrace.status, 1)
        XCTAssertTrue(notATrace.stderr.contains("is not a trace directory"), notATrace.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/notatrace"))

        let byPath = try RRDBGCommand.run(["rm", root + "/exit42-0"], environment: environment)
        XCTAssertEqual(byPath.status, 0, byPath.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/exit42-0"))
        XCTAssertEqual(latest(), "exit42-1")

        XCTAssertNotEqual(try RRDBGCommand.run(["rm"], environment: environment).status, 0)
        let list = try RRDBGCommand.run(["ls"], environment: environment)
        XCTAssertTrue(list.stdoutText.contains("* exit42-1"), list.stdoutText)
        XCTAssertFalse(list.stdoutText.contains("exit42-2"), list.stdoutText)

        // With no TRACE, pack takes the latest recording and names the bundle after it.
        let packed = try RRDBGCommand.run(["pack"], environment: environment, currentDirectory: scratch.path)
        XCTAssertEqual(packed.status, 0, packed.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("exit42-1.rrdbg")))

        let all = try RRDBGCommand.run(["rm", "--all"], environment: environment)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["notatrace"])
        XCTAssertEqual(try RRDBGCommand.run(["replay", path("exit42-1.rrdbg")], environment: environment).status, 42)
    }

    /// Issue 15: `rm` deleted any directory with a `header.json` (a web project's) and, given a
    /// link in the trace root, the link's target. Only a directory whose header is an rrdbg
    /// trace's is deleted, a link is removed as a link, and nothing under a trace is followed.
    func testRemoveDeletesOnlyTracesAndNeverFollowsLinks() throws {
        let program = try GuestPrograms.build("exit42", in: scratch)
        for _ in 0..<2 {
            XCTAssertEqual(try RRDBGCommand.run(["record", "--", program], environment: environment).status, 42)
        }
        let root = path("root")
        let fileManager = FileManager.default
        let web = root + "/web"
        try fileManager.createDirectory(atPath: web, withIntermediateDirectories: true)
        try Data(#"{"name": "my-site", "version": "1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: web + "/header.json"))
        let precious = path("precious")
        try fileManager.createDirectory(atPath: precious, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: precious + "/file"))

        for argument in ["web", web] {
            let refused = try RRDBGCommand.run(["rm", argument], environment: environment)
            XCTAssertEqual(refused.status, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("\(web) is not a trace directory (cannot read trace header"), refused.stderr)
            XCTAssertTrue(fileManager.fileExists(atPath: web + "/header.json"), "rm \(argument) kept the web project")
        }

        try fileManager.createSymbolicLink(atPath: root + "/alias", withDestinationPath: "exit42-0")
        try fileManager.createSymbolicLink(atPath: path("outside-link"), withDestinationPath: root + "/exit42-0")
        for argument in ["alias", path("outside-link")] {
            let unlinked = try RRDBGCommand.run(["rm", argument], environment: environment)
            XCTAssertEqual(unlinked.status, 0, unlinked.stderr)
            XCTAssertTrue(unlinked.stderr.contains("removed the link"), unlinked.stderr)
            XCTAssertTrue(fileManager.fileExists(atPath: root + "/exit42-0/header.json"), "rm \(argument) kept the trace")
        }
        XCTAssertNil(try? fileManager.destinationOfSymbolicLink(atPath: root + "/alias"))
        XCTAssertNil(try? fileManager.destinationOfSymbolicLink(atPath: path("outside-link")))

        try fileManager.createSymbolicLink(atPath: root + "/exit42-0/files/evil", withDestinationPath: precious)
        let removed = try RRDBGCommand.run(["rm", "exit42-0"], environment: environment)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertFalse(fileManager.fileExists(atPath: root + "/exit42-0"))
        XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: precious + "/file")), Data("keep me".utf8))

        let all = try RRDBGCommand.run(["rm", "--all"], environment: environment)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stderr.contains("kept \(web)"), all.stderr)
        XCTAssertEqual(try fileManager.contentsOfDirectory(atPath: root), ["web"])
    }

    func testHelpDescribesPackAndRemove() throws {
        let pack = try RRDBGCommand.run(["pack", "--help"])
        XCTAssertTrue(pack.stdoutText.contains("--output <file>"), pack.stdoutText)
        XCTAssertTrue(pack.stdoutText.contains("did not finish"), pack.stdoutText)
        let remove = try RRDBGCommand.run(["rm", "--help"])
        XCTAssertTrue(remove.stdoutText.contains("--all"), remove.stdoutText)
        let overview = try RRDBGCommand.run(["--help"])
        XCTAssertTrue(overview.stdoutText.contains("pack") && overview.stdoutText.contains("rm"), overview.stdoutText)
    }
}
