import CGuestShim
import Foundation
import Glibc
import XCTest
import System

@testable import Guest

/// A test program started natively (not under the guest kernel) and later stopped by attaching
/// to each of its threads with PTRACE_SEIZE and PTRACE_INTERRUPT, the way a hang report finds
/// a multithreaded program: already blocked.
///
/// Like every tracer, it must stay on the thread that created it.
final class AttachedNativeGuest {
    let pid: pid_t
    /// The first line the program wrote to stdout.
    let firstLine: String
    private(set) var threads: [pid_t] = []
    let memory: GuestMemory

    private static let seize: Int32 = 0x4206
    private static let interrupt: Int32 = 0x4207
    private static let getRegisters: Int32 = 12

    /// Starts `path` with stdout on a pipe and waits for its first line.
    init(path: String) throws {
        var fds: [Int32] = [-1, -1]
        guard rrdbg_pipe_cloexec(&fds) == 0 else { throw Errno.current("pipe2") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, nil, argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard result == 0 else { throw Errno(result, operation: "posix_spawn(\(path))") }
        pid = child
        memory = GuestMemory(pid: child)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fds[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        firstLine = String(decoding: line, as: UTF8.self)
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        // Traced threads must each be waited for; the leader last, once the others are gone.
        for tid in threads.filter({ $0 != pid }) + [pid] {
            while waitpid(tid, &status, __WALL) == tid, rrdbg_wifexited(status) == 0, rrdbg_wifsignaled(status) == 0 {}
        }
    }

    /// Thread ids, from /proc/PID/task.
    func taskIDs() throws -> [pid_t] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap { pid_t($0) }.sorted()
    }

    /// The syscall number a thread is blocked in, from /proc/PID/task/TID/syscall.
    func blockedSyscall(_ tid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/syscall", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Int($0) }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    /// Polls until `condition` holds, for up to 10 seconds.
    func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<1000 {
            if try condition() { return }
            usleep(10_000)
        }
        throw TimedOut(description: "timed out waiting until \(what)")
    }

    /// Seizes and stops every thread.
    func stopAllThreads() throws {
        for tid in try taskIDs() {
            guard rrdbg_ptrace(Self.seize, tid, 0, 0) == 0 else { throw Errno.current("PTRACE_SEIZE \(tid)") }
            threads.append(tid)
            guard rrdbg_ptrace(Self.interrupt, tid, 0, 0) == 0 else { throw Errno.current("PTRACE_INTERRUPT \(tid)") }
            var status: Int32 = 0
            guard waitpid(tid, &status, __WALL) == tid, rrdbg_wifstopped(status) != 0 else {
                throw Errno.current("waitpid(\(tid))")
            }
        }
    }

    func registers(_ tid: pid_t) throws -> Registers {
        var raw = user_regs_struct()
        let result = withUnsafeMutablePointer(to: &raw) {
            rrdbg_ptrace(Self.getRegisters, tid, 0, UInt64(UInt(bitPattern: $0)))
        }
        guard result == 0 else { throw Errno.current("PTRACE_GETREGS \(tid)") }
        return Registers(raw)
    }
}
