import Foundation
import XCTest

/// `rrdbg hang`: every thread's state, backtrace and mutex waits where a recording ended, with
/// the real rrdbg binary on recordings of C guests.
final class HangReportTests: ScratchTestCase {
    /// The report's paragraph for each thread, by the text of its first line.
    private func threadSections(_ report: String) -> [String] {
        report.components(separatedBy: "\n\n").filter { $0.hasPrefix("thread ") }
    }

    /// The section mentioning `function`, exactly one.
    private func section(calling function: String, in report: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let matching = threadSections(report).filter { $0.contains(" in \(function) at ") }
        XCTAssertEqual(matching.count, 1, "one thread in \(function):\n\(report)", file: file, line: line)
        return try XCTUnwrap(matching.first, file: file, line: line)
    }

    /// The number of the line of guest `name` holding `text`, so that the assertions follow
    /// edits of the guest.
    private func sourceLine(of text: String, in name: String) throws -> Int {
        let source = try String(contentsOf: GuestPrograms.sourceDirectory.appendingPathComponent(name), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        return try XCTUnwrap(lines.firstIndex { $0.contains(text) }, "\(text) in \(name)") + 1
    }

    /// The thread id a section starts with.
    private func tid(in section: String) -> Int32? {
        Int32(String(section.dropFirst("thread ".count).prefix { $0.isNumber }))
    }

    func testDeadlockShowsBothWorkersBlockedOnEachOthersMutex() throws {
        let program = try GuestPrograms.build("deadlock", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "3"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)

        let hang = try RRDBGCommand.run(["hang", trace])
        XCTAssertEqual(hang.status, 0, hang.stderr)
        let report = hang.stdoutText
        XCTAssertTrue(report.contains("where --timeout ended the recording while the program ran"), report)
        let forward = try section(calling: "forward", in: report)
        let backward = try section(calling: "backward", in: report)
        let main = try section(calling: "main", in: report)
        for (worker, lockLine) in [(forward, "deadlock.c:16"), (backward, "deadlock.c:27")] {
            XCTAssertTrue(worker.contains(": blocked in futex(0x") && worker.contains("FUTEX_WAIT_PRIVATE, 2, NULL"), worker)
            XCTAssertTrue(worker.contains("pthread_mutex_lock"), worker)
            XCTAssertTrue(worker.contains(lockLine), worker)
            XCTAssertTrue(worker.contains("  waits for mutex 0x"), worker)
        }
        XCTAssertTrue(main.contains(" (main): blocked in futex("), main)
        XCTAssertTrue(main.contains("pthread_clockjoin") || main.contains("pthread_join"), main)
        XCTAssertTrue(main.contains("deadlock.c:\(try sourceLine(of: "pthread_join(one", in: "deadlock.c"))"), main)
        XCTAssertFalse(main.contains("waits for mutex"), main)

        // The cycle, in recorded thread ids: the ids `rrdbg dump` shows and glibc stored.
        let one = try XCTUnwrap(tid(in: forward)), two = try XCTUnwrap(tid(in: backward))
        let (low, high) = (min(one, two), max(one, two))
        let cycle = try XCTUnwrap(report.components(separatedBy: "\n").first { $0.hasPrefix("deadlock: ") }, report)
        XCTAssertNotNil(
            cycle.range(
                of: "^deadlock: thread \(low) waits for mutex 0x[0-9a-f]+ held by thread \(high), which waits for mutex 0x[0-9a-f]+ held by thread \(low)$",
                options: .regularExpression),
            cycle)
        let dump = try RRDBGCommand.run(["dump", trace]).stdoutText
        XCTAssertTrue(dump.contains(" \(one) entered  futex(") && dump.contains(" \(two) entered  futex("), dump)

        let json = try RRDBGCommand.run(["hang", "--json", trace])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let cycles = try XCTUnwrap(document["mutexCycles"] as? [[String: Any]])
        XCTAssertEqual(cycles.count, 1, json.stdoutText)
        let edges = try XCTUnwrap(cycles.first?["edges"] as? [[String: Any]])
        XCTAssertEqual(edges.compactMap { $0["waiter"] as? Int }, [Int(low), Int(high)])
        XCTAssertEqual(edges.compactMap { $0["owner"] as? Int }, [Int(high), Int(low)])
        XCTAssertEqual(cycles.first?["text"] as? String, String(cycle.dropFirst("deadlock: ".count)))
        let threads = try XCTUnwrap(document["threads"] as? [[String: Any]])
        XCTAssertEqual(threads.count, 3)
        XCTAssertEqual(threads.filter { $0["state"] as? String == "blocked" }.count, 3)
        XCTAssertEqual(threads.compactMap { ($0["mutex"] as? [String: Any])?["owner"] as? Int }.sorted(), [Int(low), Int(high)])
        XCTAssertEqual(runningProcesses(named: "deadlock"), [])
    }

    func testBlockedReadShowsThePipeAndTheCallers() throws {
        let program = try GuestPrograms.build("pipe_hang", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "2"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)

        let hang = try RRDBGCommand.run(["hang", trace])
        XCTAssertEqual(hang.status, 0, hang.stderr)
        let report = hang.stdoutText
        let main = try section(calling: "wait_for_data", in: report)
        let readEnd = try XCTUnwrap(recorded.stdoutText.split(separator: " ").last?.trimmingCharacters(in: .newlines))
        XCTAssertTrue(main.contains(" (main): blocked in read(fd \(readEnd) = pipe (read end; write end open as fd "), main)
        XCTAssertTrue(main.components(separatedBy: "\n")[0].hasSuffix(", 64)"), main)
        let frames = main.components(separatedBy: "\n").filter { $0.hasPrefix("  #") }
        let expected = [
            ("wait_for_data", try sourceLine(of: "return read(fd", in: "pipe_hang.c")),
            ("reader_loop", try sourceLine(of: "= wait_for_data(fd", in: "pipe_hang.c")),
            ("main", try sourceLine(of: "return reader_loop(", in: "pipe_hang.c")),
        ]
        let ours = frames.filter { $0.contains("pipe_hang.c:") }
        XCTAssertEqual(ours.count, expected.count, main)
        for (frame, (function, line)) in zip(ours, expected) {
            XCTAssertTrue(frame.contains(" in \(function) at ") && frame.hasSuffix("pipe_hang.c:\(line)"), frame)
        }
        // The writer waits on a condition variable: a futex wait, but not for a mutex.
        let writer = try section(calling: "writer", in: report)
        XCTAssertTrue(writer.contains(": blocked in futex("), writer)
        XCTAssertFalse(report.contains("waits for mutex") || report.contains("deadlock:"), report)
        XCTAssertEqual(runningProcesses(named: "pipe_hang"), [])
    }

    func testAProgramThatExitedIsExaminedJustBeforeItsExit() throws {
        let program = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)

        let hang = try RRDBGCommand.run(["hang", trace])
        XCTAssertEqual(hang.status, 0, hang.stderr)
        XCTAssertTrue(hang.stdoutText.contains("just before the program exited with status 0"), hang.stdoutText)
        let sections = threadSections(hang.stdoutText)
        XCTAssertEqual(sections.count, 1, hang.stdoutText)
        XCTAssertTrue(sections.first?.contains(" (main): running at 0x") ?? false, hang.stdoutText)
        XCTAssertTrue(sections.first?.contains(" in main at ") ?? false, hang.stdoutText)

        let json = try RRDBGCommand.run(["hang", "--json", trace])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let stop = try XCTUnwrap(document["stop"] as? [String: Any])
        XCTAssertEqual(stop["kind"] as? String, "beforeExit")
        XCTAssertEqual(stop["exitStatus"] as? Int, 0)
        XCTAssertEqual((document["mutexCycles"] as? [Any])?.count, 0)
        XCTAssertEqual(runningProcesses(named: "counter"), [])
    }

    func testEventOptionExaminesAnEarlierPoint() throws {
        let program = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let dump = try RRDBGCommand.run(["dump", trace]).stdoutText.components(separatedBy: "\n")
        let firstWrite = try XCTUnwrap(dump.first { $0.contains(" write(1, ") }, dump.joined(separator: "\n"))
        let index = try XCTUnwrap(Int(firstWrite.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }))

        let atWrite = try RRDBGCommand.run(["hang", "--event", "\(index)", trace])
        XCTAssertEqual(atWrite.status, 0, atWrite.stderr)
        XCTAssertTrue(atWrite.stdoutText.contains("stopped after event \(index), as asked (--event \(index))"), atWrite.stdoutText)
        XCTAssertTrue(atWrite.stdoutText.contains(" in main at "), atWrite.stdoutText)

        let atStart = try RRDBGCommand.run(["hang", "--event", "0", "--json", trace])
        XCTAssertEqual(atStart.status, 0, atStart.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: atStart.stdout) as? [String: Any])
        XCTAssertEqual(document["event"] as? Int, 0)
        let threads = try XCTUnwrap(document["threads"] as? [[String: Any]])
        XCTAssertEqual(threads.count, 1)
        XCTAssertEqual(threads.first?["state"] as? String, "running")
        XCTAssertEqual((threads.first?["backtrace"] as? [[String: Any]])?.first?["function"] as? String, "_start")
    }

    func testAnUnusableTraceIsRefusedClearly() throws {
        let missing = try RRDBGCommand.run(["hang", path("missing")])
        XCTAssertEqual(missing.status, 124, missing.stderr)
        XCTAssertTrue(missing.stderr.hasPrefix("rrdbg: "), missing.stderr)

        let damaged = path("damaged")
        try FileManager.default.createDirectory(atPath: damaged, withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: damaged + "/header.json"))
        let result = try RRDBGCommand.run(["hang", damaged])
        XCTAssertEqual(result.status, 124, result.stderr)
        XCTAssertTrue(result.stderr.contains("header.json"), result.stderr)
        XCTAssertEqual(result.stdout.count, 0)
    }
}
