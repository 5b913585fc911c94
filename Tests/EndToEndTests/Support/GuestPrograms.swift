import Foundation
import XCTest

/// Compiles the C guests in `Tests/EndToEndTests/Guests` with the system's gcc.
enum GuestPrograms {
    static let sourceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Guests")

    /// Compiles `name.c` into `directory` and returns the executable's path.
    static func build(_ name: String, in directory: URL, optimization: String = "-O1") throws -> String {
        let output = directory.appendingPathComponent(name).path
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        gcc.arguments = [optimization, "-g", "-o", output, sourceDirectory.appendingPathComponent("\(name).c").path]
        try gcc.run()
        gcc.waitUntilExit()
        guard gcc.terminationStatus == 0 else {
            throw XCTSkip("gcc could not build \(name).c")
        }
        return output
    }
}

/// A fresh private directory per test, removed afterwards.
class ScratchTestCase: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// Records `command` into a new trace directory and returns the result and the trace path.
    /// `options` go to `rrdbg record` before the command.
    @discardableResult
    func record(
        _ command: [String], trace: String = "trace", stdin: Data? = nil, options: [String] = []
    ) throws -> (RRDBGCommand.Result, String) {
        let tracePath = path(trace)
        let result = try RRDBGCommand.run(["record", "--output", tracePath] + options + ["--"] + command, stdin: stdin)
        return (result, tracePath)
    }

    /// Records `command`, replays it, and asserts that stdout and the exit status are identical.
    @discardableResult
    func assertReplayMatches(
        _ command: [String], stdin: Data? = nil, expectedStatus: Int32 = 0, trace name: String = "trace",
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (recorded: RRDBGCommand.Result, trace: String) {
        let (recorded, trace) = try record(command, trace: name, stdin: stdin)
        XCTAssertEqual(recorded.status, expectedStatus, "record: \(recorded.stderr)", file: file, line: line)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, expectedStatus, "replay: \(replayed.stderr)", file: file, line: line)
        XCTAssertEqual(replayed.stdout, recorded.stdout, "replayed stdout differs from the recording", file: file, line: line)
        XCTAssertFalse(replayed.stderr.contains("diverged"), replayed.stderr, file: file, line: line)
        return (recorded, trace)
    }
}
