import Foundation
import XCTest

/// Signals in their many forms replay at the same points with the same effects.
final class SignalTests: ScratchTestCase {
    func testSignalHandlingInManyForms() throws {
        let program = try GuestPrograms.build("signal_zoo", in: scratch)
        let (recorded, _) = try assertReplayMatches([program], expectedStatus: 128 + SIGABRT)
        for line in [
            "sigqueue value 4242", "handler on the alternate stack: 1", "with SA_RESTART",
            "SIGCHLD handled 1 time(s)", "sigsuspend woke with value 7", "pause returned after SIGALRM (1)",
            "sigtimedwait took 10 with value 99", "signalfd read signal 10", "timerfd expired at least once",
            "POSIX timer fired",
        ] {
            XCTAssertTrue(recorded.stdoutText.contains(line), "\(line) in:\n\(recorded.stdoutText)")
        }
    }

    func testSignalLetInOnlyByTheMaskOfAWaitCall() throws {
        let program = try GuestPrograms.build("masked_waits", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        for call in ["ppoll", "pselect", "epoll_pwait"] {
            XCTAssertTrue(recorded.stdoutText.contains("\(call): -1 (Interrupted system call)"), recorded.stdoutText)
        }
        XCTAssertTrue(recorded.stdoutText.contains("alarms 3, blocked again 1"), recorded.stdoutText)
    }

    func testSignalFromAProcessOutsideTheRecording() throws {
        let program = try GuestPrograms.build("outside_signal", in: scratch)
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: "/bin/sh")
        sender.arguments = ["-c", "sleep 1; pkill -USR1 -x outside_signal"]
        try sender.run()
        defer { sender.waitUntilExit() }
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("SIGUSR1 from pid "), recorded.stdoutText)
    }
}
