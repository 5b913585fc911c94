import Foundation
import XCTest

/// Multithreaded guests: one guest thread runs at a time, the schedule is in the trace, and
/// replay follows it, so what the threads print (which differs natively from run to run) is
/// byte-identical in replay.
final class ThreadTests: ScratchTestCase {
    func testFourThreadsTakingAMutex() throws {
        let program = try GuestPrograms.build("mutex_order", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("800 acquisitions: "), recorded.stdoutText)
    }

    func testUnsynchronisedCounterNeedsPreemption() throws {
        let program = try GuestPrograms.build("counter_race", in: scratch)
        let (recorded, trace) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("counter = "), recorded.stdoutText)
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertTrue(dump.stdoutText.contains(" async    preempted at rip="), "a 250M-iteration loop outlasts a time slice")
    }

    func testSpinWaitingThreadsHandATokenBackAndForth() throws {
        let program = try GuestPrograms.build("spin_token", in: scratch)
        let (recorded, trace) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("token passed 12 times; spins "), recorded.stdoutText)
        let dump = try RRDBGCommand.run(["dump", trace])
        let preemptions = dump.stdoutText.components(separatedBy: " async    preempted").count - 1
        XCTAssertGreaterThanOrEqual(preemptions, 10, "every hand-off needs the spinning thread preempted")
    }

    func testSignalHandlerReadsTheCounterOfTheLoopItInterrupted() throws {
        let program = try GuestPrograms.build("alarm_loop", in: scratch)
        let (recorded, trace) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("the handler saw "), recorded.stdoutText)
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertTrue(dump.stdoutText.contains("SIGALRM (asynchronous)"), dump.stdoutText)
    }

    func testIntervalTimerInterruptingSleeps() throws {
        let program = try GuestPrograms.build("itimer_sleep", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.contains("sleeps interrupted"), recorded.stdoutText)
    }

    func testThreadedEpollAndEventfd() throws {
        let program = try GuestPrograms.build("epoll_eventfd", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("consumer read 1275 in "), recorded.stdoutText)
    }

    func testLoopbackTCPClientAndServerOnTwoThreads() throws {
        let program = try GuestPrograms.build("tcp_threads", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.contains("server got 4000 bytes"), recorded.stdoutText)
    }

    func testPythonStartingThreads() throws {
        let script = """
            import os, threading
            results = {}
            def work(n):
                results[n] = (threading.get_ident() % 100000, os.urandom(4).hex())
            threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(sorted(results.items()))
            """
        let (recorded, _) = try assertReplayMatches(["/usr/bin/python3", "-c", script])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("[(0, ("), recorded.stdoutText)
    }
}

/// With breakpoints set, gdb reaches a preemption point by running to it, so a breakpoint in a
/// preempted stretch of code still fires, and values afterwards are the recorded ones.
final class PreemptionDebuggingTests: ScratchTestCase {
    func testBreakpointInsideAPreemptedStretchFires() throws {
        let program = try GuestPrograms.build("unrolled_spin", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertTrue(dump.stdoutText.contains(" async    preempted at rip="), "the crunching thread was preempted")
        let value = recorded.stdoutText.components(separatedBy: "crunched ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"

        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break crunch", "continue", "print acc", "delete", "break report", "continue", "print value",
        ], executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("hit Breakpoint 1, crunch ("), output)
        XCTAssertTrue(output.contains("$1 = 1\n"), "stopped before the loop ran:\n\(output)")
        XCTAssertTrue(output.contains("$2 = \(value)\n"), "the value the recording printed (\(value)):\n\(output)")
    }
}
