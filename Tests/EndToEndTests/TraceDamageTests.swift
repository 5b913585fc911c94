import Foundation
import SeededRandom
import Syscalls
import Trace
import XCTest

/// Damaged, tampered and unfinished traces: a clear error or a faithful partial replay, never a
/// crash, a hang, or a replay that silently differs.
final class TraceDamageTests: ScratchTestCase {
    func testTamperedSyscallResultIsADivergence() throws {
        let guest = try GuestPrograms.build("files", in: scratch)
        let data = path("data.txt")
        try "twenty bytes of text\n".write(toFile: data, atomically: true, encoding: .utf8)
        let (_, trace) = try record([guest, data])

        // Make the read of the data file report 5 bytes fewer than it returned.
        var events = try readEvents(trace)
        let index = try XCTUnwrap(events.firstIndex { event in
            if case .syscall(let call) = event { return call.number == Syscall.read.rawValue && call.result == 21 }
            return false
        })
        guard case .syscall(var read) = events[index] else { return XCTFail("not a syscall") }
        read.result -= 5
        events[index] = .syscall(read)
        try rewriteEvents(trace, events)

        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 125, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("replay diverged at event"), replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("expected"), replayed.stderr)
    }

    func testTamperedOutputBytesAreADivergence() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        var events = try readEvents(trace)
        let index = try XCTUnwrap(events.firstIndex { event in
            if case .syscall(let call) = event { return call.number == Syscall.write.rawValue }
            return false
        })
        guard case .syscall(var write) = events[index] else { return XCTFail("not a syscall") }
        write.inputDigest = (write.inputDigest ?? 0) ^ 1
        events[index] = .syscall(write)
        try rewriteEvents(trace, events)

        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 125, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("replay diverged at event \(index) (syscall write)"), replayed.stderr)
    }

    func testTruncatedEventsGiveAClearErrorOrAFaithfulPrefix() throws {
        let guest = try GuestPrograms.build("nondeterminism", in: scratch)
        let (recorded, trace) = try record([guest])
        let events = URL(fileURLWithPath: trace).appendingPathComponent("events.lz4")
        let original = try Data(contentsOf: events)
        for fraction in [0.0, 0.1, 0.5, 0.9, 0.999] {
            let cut = original.prefix(Int(Double(original.count) * fraction))
            try cut.write(to: events)
            let replayed = try RRDBGCommand.run(["replay", trace], timeout: 120)
            XCTAssertEqual(replayed.status, 124, "cut at \(cut.count): \(replayed.stderr)")
            XCTAssertTrue(recorded.stdout.starts(with: replayed.stdout), "a partial replay must print a prefix of the recording")
            XCTAssertTrue(replayed.stderr.hasPrefix("rrdbg: "), replayed.stderr)
        }
    }

    func testGarbageFilesGiveClearErrors() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        let directory = URL(fileURLWithPath: trace)
        var generator = SeededGenerator(seed: 7)
        let garbage = Data((0..<50_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) })

        try garbage.write(to: directory.appendingPathComponent("events.lz4"))
        let corruptEvents = try RRDBGCommand.run(["replay", trace], timeout: 120)
        XCTAssertEqual(corruptEvents.status, 124, corruptEvents.stderr)
        XCTAssertTrue(corruptEvents.stderr.contains("events"), corruptEvents.stderr)
        let dump = try RRDBGCommand.run(["dump", trace], timeout: 120)
        XCTAssertEqual(dump.status, 124, dump.stderr)

        try garbage.write(to: directory.appendingPathComponent("header.json"))
        let corruptHeader = try RRDBGCommand.run(["replay", trace], timeout: 120)
        XCTAssertEqual(corruptHeader.status, 124, corruptHeader.stderr)
        XCTAssertTrue(corruptHeader.stderr.contains("header.json"), corruptHeader.stderr)
    }

    func testTraceFromAFutureVersionIsRefusedClearly() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        let headerURL = URL(fileURLWithPath: trace).appendingPathComponent("header.json")
        let header = try String(contentsOf: headerURL, encoding: .utf8)
            .replacingOccurrences(of: "\"formatVersion\" : 2", with: "\"formatVersion\" : 99")
        try header.write(to: headerURL, atomically: true, encoding: .utf8)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 124)
        XCTAssertTrue(replayed.stderr.contains("newer than this rrdbg supports"), replayed.stderr)
    }

    func testRecorderKilledBySIGKILLLeavesAReplayablePrefix() throws {
        let guest = try GuestPrograms.build("ticker", in: scratch)
        let trace = path("trace")
        let recordedOutput = path("recorded.txt")
        _ = FileManager.default.createFile(atPath: recordedOutput, contents: nil)
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: RRDBGCommand.executable)
        recorder.arguments = ["record", "--output", trace, "--", guest]
        recorder.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: recordedOutput))
        try recorder.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.3)

        let recorded = try Data(contentsOf: URL(fileURLWithPath: recordedOutput))
        XCTAssertTrue(String(decoding: recorded, as: UTF8.self).contains("tick 5 "), "the guest ran for a while")
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 124, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("the recording did not finish"), replayed.stderr)
        XCTAssertTrue(replayed.stdoutText.contains("tick 3 "), "most of what was recorded replays")
        XCTAssertTrue(recorded.starts(with: replayed.stdout), "the replayed output is a prefix of the recorded output")
        let info = try RRDBGCommand.run(["info", trace])
        XCTAssertTrue(info.stdoutText.contains("complete:     no"), info.stdoutText)
    }

    private func readEvents(_ trace: String) throws -> [TraceEvent] {
        let reader = try TraceReader(directory: TraceDirectory.open(at: trace))
        var events: [TraceEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }

    private func rewriteEvents(_ trace: String, _ events: [TraceEvent]) throws {
        let directory = try TraceDirectory.open(at: trace)
        let header = try directory.readHeader()
        try FileManager.default.removeItem(atPath: directory.eventsPath)
        let writer = try TraceWriter(directory: directory, header: header)
        for event in events { try writer.append(event) }
        try writer.finish(header: header)
    }
}
