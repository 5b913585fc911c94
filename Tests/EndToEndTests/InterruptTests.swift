import Foundation
import Glibc
import XCTest

/// Ctrl-C reaches gdb, never the replayed program, and stops a replay that traps often within
/// a second; and reverse execution holds a bounded number of processes however many stops it
/// passes.
final class InterruptTests: ScratchTestCase {
    func testCtrlCToGDBStopsAReplayThatTrapsOnEveryPass() throws {
        let program = try GuestPrograms.build("unpatchable_spin", in: scratch)
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
        gdb.arguments = ["-batch", "-nx", "-ex", "target extended-remote 127.0.0.1:\(harness.port)", "-ex", "break done",
                         "-ex", "continue", "-ex", "print $pc", program]
        let output = Pipe()
        gdb.standardOutput = output
        gdb.standardError = output
        try gdb.run()
        Thread.sleep(forTimeInterval: 2)
        let interrupted = Date()
        kill(gdb.processIdentifier, SIGINT)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gdb.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 1.5, "gdb regains control within a second:\n\(text)")
        XCTAssertTrue(text.contains("received signal SIGINT, Interrupt."), text)
        XCTAssertTrue(text.contains("$1 = "), text)
        XCTAssertFalse(text.contains("Breakpoint 1, done"), "interrupted before the end:\n\(text)")
        XCTAssertEqual(harness.waitForStub(), 0)
    }

    func testCtrlCAtTheTerminalOfRRDBGDebugInterruptsWithoutReachingTheProgram() throws {
        let text = try interruptDebuggingASpin(["break main", "continue", "continue", "print $pc", "print x > 2"]) { _ in
            Thread.sleep(forTimeInterval: 2.5)
        }
        XCTAssertTrue(text.contains("$2 = 1"), "the replay stopped inside the loop and is still there:\n\(text)")
    }

    func testCtrlCAtTheTerminalOfRRDBGDebugStopsAReverseContinue() throws {
        let commands = ["continue", "break main", "echo going-back\\n", "reverse-continue", "print x > 2"]
        let text = try interruptDebuggingASpin(commands) { session in
            XCTAssertTrue(session.waitFor("going-back", seconds: 60), "gdb reached the end of the recording")
            Thread.sleep(forTimeInterval: 0.7)
        }
        XCTAssertFalse(text.contains("Breakpoint 1, main"), "interrupted before going back to main:\n\(text)")
    }

    /// Runs `rrdbg debug` with `commands` on a recording of a 2 s spin, sends the terminal's
    /// SIGINT to the whole process group once `waitUntilBusy` returns, and checks what every
    /// Ctrl-C must give: gdb back within a second, a clean exit, a SIGINT stop that the program
    /// itself never saw, and no leftover process. Returns what gdb printed.
    private func interruptDebuggingASpin(
        _ commands: [String], waitUntilBusy: (ProcessGroup) -> Void
    ) throws -> String {
        let program = try GuestPrograms.build("spin_forever", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program], options: ["--timeout", "2"])
        let session = try ProcessGroup(
            [RRDBGCommand.executable, "debug", trace, "--", "-batch", "-nx"] + commands.flatMap { ["-ex", $0] })
        waitUntilBusy(session)
        let interrupted = Date()
        session.interrupt()
        let (status, text) = session.finish()
        XCTAssertLessThan(Date().timeIntervalSince(interrupted), 1.5, "gdb regains control within a second:\n\(text)")
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("Program received signal SIGINT, Interrupt."), text)
        XCTAssertFalse(text.contains("diverged"), "the program never saw the terminal's SIGINT:\n\(text)")
        XCTAssertEqual(runningProcesses(named: "spin_forever"), [])
        return text
    }

    func testReverseExecutionPassingThousandsOfStopsHoldsFewProcesses() throws {
        let program = try GuestPrograms.build("many_writes", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let counter = DescendantCounter(of: harness.stub.processIdentifier)
        let output = try harness.gdb(["continue", "watch watched", "reverse-continue", "print watched"], executable: program)
        let most = counter.stop()
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("$1 = 19998"), "backwards, the last write of 19999 is undone:\n\(output)")
        XCTAssertGreaterThan(most, 0)
        XCTAssertLessThanOrEqual(most, 64, "processes held by rrdbg at the worst moment")
        XCTAssertEqual(runningProcesses(named: "many_writes"), [])
    }
}

/// A command started in a process group of its own, as a shell starts a foreground job, so
/// that a test can press Ctrl-C on the whole group as the terminal would.
private final class ProcessGroup {
    let pid: pid_t
    private let output: Int32

    init(_ arguments: [String]) throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, &attributes, argv, environ)
        close(fds[1])
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        pid = child
        output = fds[0]
    }

    /// SIGINT to every process of the group, as Ctrl-C at its terminal.
    func interrupt() {
        kill(-pid, SIGINT)
    }

    /// What the command printed so far.
    private var text: [UInt8] = []

    /// Reads the command's output until it holds `marker`; false if it did not within `seconds`
    /// or the command closed its output first.
    func waitFor(_ marker: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !String(decoding: text, as: UTF8.self).contains(marker) {
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&poller, 1, left) > 0 else { return false }
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { return false }
            text += buffer[0..<count]
        }
        return true
    }

    /// Waits for the command and returns its exit status and everything it printed.
    func finish() -> (Int32, String) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { break }
            text += buffer[0..<count]
        }
        close(output)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, String(decoding: text, as: UTF8.self))
    }
}

/// Counts, every 20 ms on a thread of its own, the processes below `root` (its children,
/// theirs, and so on), and keeps the largest count.
private final class DescendantCounter: @unchecked Sendable {
    private let root: pid_t
    private let lock = NSLock()
    private var most = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(of root: pid_t) {
        self.root = root
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let count = descendants()
                lock.withLock { most = max(most, count) }
                usleep(20_000)
            }
            done.signal()
        }
    }

    /// Stops counting and returns the largest count seen.
    func stop() -> Int {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { most }
    }

    private func descendants() -> Int {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        return parents.keys.filter { pid in
            var current = parents[pid]
            while let step = current, step > 1 {
                if step == root { return true }
                current = parents[step]
            }
            return false
        }.count
    }
}
