import Foundation
import XCTest

/// Starts `rrdbg replay --gdb` on a trace and drives the real gdb against it in batch mode.
final class GDBHarness {
    let stub = Process()
    /// What gdb's `target` command takes: `127.0.0.1:PORT`, or a socket's path.
    let address: String
    /// The TCP port, or 0 for a Unix socket.
    var port: Int { address.hasPrefix("127.0.0.1:") ? Int(address.dropFirst("127.0.0.1:".count)) ?? 0 : 0 }
    private let stubErrors = Pipe()
    /// What the stub printed up to the address, warnings included.
    let startupMessages: String

    /// Starts the stub and waits until it prints the address it listens on.
    init(trace: String, extraArguments: [String] = []) throws {
        stub.executableURL = URL(fileURLWithPath: RRDBGCommand.executable)
        stub.arguments = ["replay", "--gdb"] + extraArguments + [trace]
        stub.standardError = stubErrors
        stub.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try stub.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = stubErrors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let match = seen.range(of: #"target extended-remote [^']+'"#, options: .regularExpression) {
                address = String(seen[match].dropFirst("target extended-remote ".count).dropLast())
                startupMessages = seen
                return
            }
        }
        stub.terminate()
        throw XCTSkip("the gdb stub did not start: \(seen)")
    }

    /// Runs gdb in batch mode with `commands` against the stub; returns everything gdb printed.
    func gdb(_ commands: [String], executable: String?, target: String = "extended-remote") throws -> String {
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
        gdb.arguments = ["-batch", "-nx", "-ex", "set pagination off", "-ex", "target \(target) \(address)"]
            + commands.flatMap { ["-ex", $0] } + (executable.map { [$0] } ?? [])
        let output = Pipe()
        gdb.standardOutput = output
        gdb.standardError = output
        gdb.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try gdb.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        gdb.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// What the stub printed after it started listening (read once it has exited).
    var laterErrors: String {
        String(decoding: stubErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Waits for the stub to exit after gdb went away, and returns its status.
    func waitForStub(timeout: TimeInterval = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while stub.isRunning && Date() < deadline { usleep(20_000) }
        guard !stub.isRunning else {
            stub.terminate()
            return nil
        }
        return stub.terminationStatus
    }

    deinit {
        if stub.isRunning { stub.terminate() }
    }
}

/// Processes still running a given executable, to prove nothing was left behind.
func runningProcesses(named executable: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> String? in
        guard Int(entry) != nil,
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe"),
              target.hasSuffix(executable)
        else { return nil }
        let status = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
        return status.contains(") Z ") ? nil : entry
    }
}
