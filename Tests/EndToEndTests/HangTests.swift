import Foundation
import XCTest

/// Ending a recording while the program hangs, and examining the hang: replay reaches the same
/// final state, gdb shows every thread there and runs backwards from it.
final class HangTests: ScratchTestCase {
    func testDeadlockRecordedWithTimeoutReplaysToBothThreadsBlocked() throws {
        let program = try GuestPrograms.build("deadlock", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "3"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertTrue(recorded.stderr.contains("recording ended by --timeout 3 s"), recorded.stderr)
        let dump = try RRDBGCommand.run(["dump", trace])
        let blocked = dump.stdoutText.components(separatedBy: "\n").filter { $0.contains(" entered  futex(") && $0.contains("FUTEX_WAIT_PRIVATE, 2,") }
        XCTAssertEqual(blocked.count, 2, "both workers wait for a lock:\n\(dump.stdoutText)")

        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("replay reached the end of the recording (ended by timeout"), replayed.stderr)

        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "continue", "info threads", "thread apply all bt",
            "watch shared", "reverse-continue", "print shared", "bt 1",
        ], executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(output.components(separatedBy: "___pthread_mutex_lock (mutex=").count - 1, 2, output)
        XCTAssertTrue(output.contains("in forward (argument=0x0) at ") && output.contains("deadlock.c:16"), output)
        XCTAssertTrue(output.contains("in backward (argument=0x0) at ") && output.contains("deadlock.c:27"), output)
        XCTAssertTrue(output.contains("in main () at "), output)
        // Backwards from the hang, the watchpoint stops at the last write, in the thread that made it.
        XCTAssertTrue(output.contains("hit Hardware watchpoint 1: shared"), output)
        let lastWriter = output.contains("14\t    shared = 1;") ? "forward" : "backward"
        XCTAssertTrue(output.contains("14\t    shared = 1;") || output.contains("25\t    shared = 2;"), output)
        XCTAssertTrue(output.contains("#0  \(lastWriter) (argument=0x0) at "), output)
        XCTAssertEqual(runningProcesses(named: "deadlock"), [])
    }

    func testCtrlCEndsARecordingCleanly() throws {
        let program = try GuestPrograms.build("deadlock", in: scratch)
        let tracePath = path("trace")
        let recorded = try RRDBGCommand.run(["record", "--output", tracePath, "--", program], interruptAfter: 1.5, timeout: 60)
        XCTAssertEqual(recorded.status, 130, recorded.stderr)
        XCTAssertTrue(recorded.stderr.contains("recording ended by an interrupt"), recorded.stderr)
        let info = try RRDBGCommand.run(["info", tracePath])
        XCTAssertTrue(info.stdoutText.contains("stopped by an interrupt (Ctrl-C or SIGINT/SIGTERM/SIGHUP) while the program was running"), info.stdoutText)
        let replayed = try RRDBGCommand.run(["replay", tracePath])
        XCTAssertEqual(replayed.status, 130, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("replay reached the end of the recording (ended by interrupt"), replayed.stderr)
        XCTAssertEqual(runningProcesses(named: "deadlock"), [])
    }

    func testTimeoutMustBePositive() throws {
        let result = try RRDBGCommand.run(["record", "--timeout", "0", "/bin/true"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--timeout needs a positive number of seconds"), result.stderr)
    }
}

/// A program with a single thread blocked in a syscall can be stopped by --timeout as well.
final class SingleThreadHangTests: ScratchTestCase {
    func testTimeoutEndsASingleThreadBlockedInRead() throws {
        let program = try GuestPrograms.build("lonely_read", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "1"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let report = try RRDBGCommand.run(["hang", trace])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdoutText.contains("blocked in read(fd 3 = pipe"), report.stdoutText)
        XCTAssertTrue(report.stdoutText.contains("in wait_for_data at "), report.stdoutText)
        XCTAssertTrue(report.stdoutText.contains("lonely_read.c:6"), report.stdoutText)
    }
}
