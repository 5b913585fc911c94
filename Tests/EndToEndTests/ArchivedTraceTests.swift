import Foundation
import XCTest

/// The traces in `traces/` were recorded by an earlier rrdbg; this one must replay them exactly.
final class ArchivedTraceTests: ScratchTestCase {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("traces")

    /// A private copy, since git does not keep the traces' 0700/0600 modes and a test must not
    /// change the repository.
    private func archived(_ name: String) throws -> String {
        let copy = path(name)
        try FileManager.default.copyItem(atPath: Self.directory.appendingPathComponent(name).path, toPath: copy)
        return copy
    }

    /// Replays an archived trace; skips (saying why) on a CPU model it cannot replay on.
    private func replay(_ trace: String) throws -> RRDBGCommand.Result {
        let replayed = try RRDBGCommand.run(["replay", trace])
        if replayed.status == 124 && replayed.stderr.contains("without cpuid faulting on a different CPU") {
            throw XCTSkip("\(trace): \(replayed.stderr)")
        }
        return replayed
    }

    private func expectedOutput(_ name: String) throws -> Data {
        try Data(contentsOf: Self.directory.appendingPathComponent("\(name).stdout"))
    }

    func testSingleThreadedTrace() throws {
        let trace = try archived("single-thread")
        let replayed = try replay(trace)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, try expectedOutput("single-thread"))
    }

    func testMultithreadedTrace() throws {
        let trace = try archived("multi-thread")
        let replayed = try replay(trace)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, try expectedOutput("multi-thread"))
    }

    func testPreemptedTrace() throws {
        let trace = try archived("preempted")
        let replayed = try replay(trace)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, try expectedOutput("preempted"))
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertTrue(dump.stdoutText.contains(" async    preempted at rip="), dump.stdoutText)
    }

    func testDeadlockTrace() throws {
        let trace = try archived("deadlock")
        let replayed = try replay(trace)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("replay reached the end of the recording (ended by timeout"), replayed.stderr)
        let report = try RRDBGCommand.run(["hang", trace])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdoutText.contains("deadlock: thread "), report.stdoutText)
        XCTAssertEqual(report.stdoutText.components(separatedBy: "blocked in futex(").count - 1, 3, report.stdoutText)
    }
}
