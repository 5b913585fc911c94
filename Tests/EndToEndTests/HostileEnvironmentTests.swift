import Foundation
import XCTest

/// Bad input and a hostile environment give a clear error, never a signal death of rrdbg:
/// header fields no date can hold, terminal escapes in a recorded command line, closed
/// standard streams and `ulimit -f`.
final class HostileEnvironmentTests: ScratchTestCase {
    func testHeaderTimesNoDateCanHoldAreInvalidFields() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let root = path("traces")
        let environment = ["RRDBG_TRACE_DIR": root]
        for _ in 0..<2 { _ = try RRDBGCommand.run(["record", guest], environment: environment) }
        let header = root + "/exit42-0/header.json"
        let original = try String(contentsOfFile: header, encoding: .utf8)
        for value in ["\"nan\"", "\"inf\"", "\"-inf\"", "1e300", "-1e300"] {
            let damaged = original.replacingOccurrences(
                of: #""startTime" : [0-9.e+]+"#, with: "\"startTime\" : \(value)", options: .regularExpression)
            XCTAssertNotEqual(damaged, original)
            try damaged.write(toFile: header, atomically: true, encoding: .utf8)

            let info = try RRDBGCommand.run(["info", "exit42-0"], environment: environment)
            XCTAssertEqual(info.status, 124, "\(value): \(info.stderr)")
            XCTAssertTrue(info.stderr.contains("field \"startTime\" is invalid"), "\(value): \(info.stderr)")
            let listing = try RRDBGCommand.run(["ls"], environment: environment)
            XCTAssertEqual(listing.status, 0, "\(value): \(listing.stderr)")
            XCTAssertTrue(listing.stdoutText.contains("  exit42-0 ") && listing.stdoutText.contains(" unreadable: "), listing.stdoutText)
            XCTAssertTrue(listing.stdoutText.contains("* exit42-1"), listing.stdoutText)
        }
    }

    func testInfoListAndProcessesShowTerminalEscapesInTheCommandEscaped() throws {
        let root = path("traces")
        let environment = ["RRDBG_TRACE_DIR": root]
        let title = "\u{1b}]0;owned\u{07}"
        let recorded = try RRDBGCommand.run(["record", "/bin/true", title, "\u{1b}[2J", "plain"], environment: environment)
        XCTAssertEqual(recorded.status, 0, recorded.stderr)

        let info = try RRDBGCommand.run(["info"], environment: environment)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertFalse(info.stdout.contains(0x1b), info.stdoutText)
        XCTAssertFalse(info.stdout.contains(0x07), info.stdoutText)
        XCTAssertTrue(info.stdoutText.contains(#"/bin/true "\33]0;owned\7" "\33[2J" plain"#), info.stdoutText)
        let listing = try RRDBGCommand.run(["ls"], environment: environment)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertFalse(listing.stdout.contains(0x1b), listing.stdoutText)
        XCTAssertTrue(listing.stdoutText.contains(#"/bin/true "\33]0;owned\7" "\33[2J" plain"#), listing.stdoutText)
        let processes = try RRDBGCommand.run(["ps"], environment: environment)
        XCTAssertEqual(processes.status, 0, processes.stderr)
        XCTAssertFalse(processes.stdout.contains(0x1b), processes.stdoutText)
        XCTAssertTrue(processes.stdoutText.contains(#""\33[2J" plain"#), processes.stdoutText)
    }

    func testRecordWithClosedStandardStreams() throws {
        let trace = path("trace")
        // The program finds its stderr closed, as it would without rrdbg, and says so on stdout.
        let program = "echo lost >&2; echo \"stderr write status $?\""
        let recorded = try shell(
            #"exec "$RRDBG" record --output "$TRACE" -- /bin/sh -c "$PROGRAM" 2>&- <&-"#,
            ["TRACE": trace, "PROGRAM": program])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertEqual(recorded.stdoutText, "stderr write status 2\n")
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }

    func testOutputStreamsThatFailAreErrorsNotCrashes() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let (_, trace) = try record(["/bin/true"])
        let full = try shell(#"exec "$RRDBG" dump "$TRACE" >/dev/full"#, ["TRACE": trace])
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("cannot write standard output: No space left on device"), full.stderr)
        for script in [#"exec "$RRDBG" info "$TRACE/missing" 2>/dev/full"#, #"exec "$RRDBG" info "$TRACE/missing" 2>&-"#] {
            let result = try shell(script, ["TRACE": trace])
            XCTAssertEqual(result.status, 124, script)
        }
    }

    func testFileSizeLimitIsAClearErrorThatLeavesNoTemporaryFile() throws {
        let trace = path("trace")
        let recorded = try shell(#"ulimit -f 1; exec "$RRDBG" record --output "$TRACE" -- /bin/true"#, ["TRACE": trace])
        XCTAssertEqual(recorded.status, 124, recorded.stderr)
        XCTAssertTrue(recorded.stderr.contains("File too large"), recorded.stderr)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: trace)) ?? []
        XCTAssertFalse(left.contains { $0.contains(".tmp-") }, "\(left)")
    }

    func testTheProgramKeepsTheDefaultActionOfSIGXFSZ() throws {
        // rrdbg ignores SIGXFSZ for itself; the program must still die of it.
        let (recorded, trace) = try record(["/bin/sh", "-c", "kill -XFSZ $$; echo survived"])
        XCTAssertEqual(recorded.status, 128 + SIGXFSZ, recorded.stderr)
        XCTAssertEqual(recorded.stdoutText, "")
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 128 + SIGXFSZ, replayed.stderr)
    }

    /// Runs `script` with /bin/sh, for what only a shell can set up (closed descriptors,
    /// resource limits); `$RRDBG` names the rrdbg binary, and `variables` are exported too.
    private func shell(_ script: String, _ variables: [String: String]) throws -> RRDBGCommand.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment
            .merging(variables.merging(["RRDBG": RRDBGCommand.executable]) { $1 }) { $1 }
        let out = path("shell-stdout")
        let err = path("shell-stderr")
        for file in [out, err] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return RRDBGCommand.Result(
            status: status, stdout: try Data(contentsOf: URL(fileURLWithPath: out)),
            stderr: try String(contentsOfFile: err, encoding: .utf8))
    }
}
