import Foundation
import XCTest

/// Runs the real `rrdbg` binary that `swift build` produced next to the test bundle.
struct RRDBGCommand {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String

        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The rrdbg executable: `$RRDBG_BINARY`, else the one beside the test bundle.
    static var executable: String {
        if let explicit = ProcessInfo.processInfo.environment["RRDBG_BINARY"] { return explicit }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("rrdbg").path
    }

    /// Runs rrdbg with `arguments`. `stdin` is fed through a pipe (nil means /dev/null);
    /// `environment` entries are added to the test's own. `interruptAfter` sends rrdbg a SIGINT
    /// after that many seconds, as Ctrl-C would. A run that exceeds `timeout` is a test failure
    /// (a hang), never a wait forever.
    static func run(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        currentDirectory: String? = nil, interruptAfter: TimeInterval? = nil, timeout: TimeInterval = 300
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }

        // Files rather than pipes, so a large output cannot fill a pipe and stall the run.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err

        let input = Pipe()
        if stdin != nil {
            process.standardInput = input
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        let interruptAt = interruptAfter.map { Date().addingTimeInterval($0) }
        var interrupted = false
        while process.isRunning {
            if let interruptAt, !interrupted, Date() > interruptAt {
                kill(process.processIdentifier, SIGINT)
                interrupted = true
            }
            if Date() > deadline {
                process.terminate()
                XCTFail("rrdbg \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(
            status: status, stdout: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
