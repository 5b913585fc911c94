import Foundation
import XCTest

/// Records small C guests and replays them: stdout and exit status must be byte-identical,
/// including values that differ on every native run.
final class RecordReplayTests: ScratchTestCase {
    func testClocksTSCCPUIDRandomnessAndIdsReplayExactly() throws {
        let guest = try GuestPrograms.build("nondeterminism", in: scratch)
        let first = try runNatively(guest)
        let second = try runNatively(guest)
        XCTAssertNotEqual(first, second, "natively, the guest should print different values each run")

        let (recorded, _) = try assertReplayMatches([guest])
        let text = recorded.stdoutText
        for label in ["realtime", "monotonic", "gettimeofday", "rdtsc", "rdtscp", "cpuid vendor", "getrandom", "urandom", "pid", "clock loop sum"] {
            XCTAssertTrue(text.contains(label), "missing \(label) in \(text)")
        }
    }

    func testReadingAFileDeletedBeforeReplayAndMappingIt() throws {
        let guest = try GuestPrograms.build("files", in: scratch)
        let data = path("data.txt")
        try "recorded contents \(UUID())\n".write(toFile: data, atomically: true, encoding: .utf8)
        let (recorded, trace) = try record([guest, data])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertTrue(recorded.stdoutText.contains("mapped"))
        try FileManager.default.removeItem(atPath: data)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }

    func testTraceReplaysAfterItsExecutableIsDeleted() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (recorded, trace) = try record([guest])
        try FileManager.default.removeItem(atPath: guest)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 42, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }

    func testStdinFromAPipeIsNotNeededInReplay() throws {
        let guest = try GuestPrograms.build("stdin_digest", in: scratch)
        var input = Data(count: 300_000)
        for index in input.indices { input[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
        let (recorded, _) = try assertReplayMatches([guest], stdin: input)
        XCTAssertTrue(recorded.stdoutText.hasPrefix("stdin 300000 bytes"), recorded.stdoutText)
    }

    func testFortyMegabytesOfStdout() throws {
        let guest = try GuestPrograms.build("bigwrite", in: scratch)
        let (recorded, _) = try assertReplayMatches([guest])
        XCTAssertEqual(recorded.stdout.count, 40 << 20)
    }

    func testExitStatus42() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        try assertReplayMatches([guest], expectedStatus: 42)
    }

    func testDeathBySIGSEGV() throws {
        let guest = try GuestPrograms.build("segfault", in: scratch)
        let (recorded, _) = try assertReplayMatches([guest], expectedStatus: 128 + SIGSEGV)
        XCTAssertTrue(recorded.stdoutText.hasPrefix("about to crash"))
    }

    func testBrkMremapAndMprotect() throws {
        let guest = try GuestPrograms.build("memory", in: scratch)
        let (recorded, _) = try assertReplayMatches([guest])
        XCTAssertTrue(recorded.stdoutText.contains("writable again: Stamp"), recorded.stdoutText)
    }

    private func runNatively(_ program: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}

/// Signals that arrive as a syscall returns (raise, kill, abort) are delivered again at the
/// same event in replay.
final class SignalReplayTests: ScratchTestCase {
    func testHandlersAndAbortReplayAtTheSamePoint() throws {
        let guest = try GuestPrograms.build("signals", in: scratch)
        let (recorded, trace) = try assertReplayMatches([guest], expectedStatus: 128 + SIGABRT)
        XCTAssertTrue(recorded.stdoutText.contains("handler ran at"), recorded.stdoutText)
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertTrue(dump.stdoutText.contains("signal   SIGUSR1 (atSyscallExit)"), dump.stdoutText)
        XCTAssertTrue(dump.stdoutText.contains("killed by SIGABRT"), dump.stdoutText)
    }
}
