import CGuestShim
import Glibc

/// A guest program started under ptrace and seccomp by the guest kernel.
///
/// All ptrace calls for the guest must come from the OS thread that created it, so callers keep
/// a `GuestProcess` on one thread. rrdbg is single-threaded in its guest loop, which guarantees
/// this without locks.
public final class GuestProcess {
    public let pid: pid_t
    public let memory: GuestMemory
    private var ended = false

    init(pid: pid_t) {
        self.pid = pid
        memory = GuestMemory(pid: pid)
    }

    deinit {
        if !ended {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, __WALL)
        }
    }

    /// Kills the guest and reaps it (the `PTRACE_O_EXITKILL` option also does this if rrdbg dies).
    public func killAndReap() {
        guard !ended else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, __WALL) == pid {
            if rrdbg_wifexited(status) != 0 || rrdbg_wifsignaled(status) != 0 { break }
        }
        ended = true
    }

    func waitForStop(of tid: pid_t) throws -> WaitOutcome {
        var status: Int32 = 0
        try retryingOnInterrupt("waitpid(\(tid))") { waitpid(tid, &status, __WALL) }
        if rrdbg_wifexited(status) != 0 {
            if tid == pid { ended = true }
            return .ended(.exited(rrdbg_wexitstatus(status)))
        }
        if rrdbg_wifsignaled(status) != 0 {
            if tid == pid { ended = true }
            return .ended(.killed(signal: rrdbg_wtermsig(status), coreDumped: rrdbg_wcoredump(status) != 0))
        }
        return .stopped(StoppedThread(process: self, tid: tid, stop: try decodeStop(status, tid: tid)))
    }

    private func decodeStop(_ status: Int32, tid: pid_t) throws -> Stop {
        let signal = rrdbg_wstopsig(status)
        let event = (status >> 16) & 0xff
        if signal == SIGTRAP | 0x80 {
            return try syscallStopKind(tid)
        }
        if signal == SIGTRAP && event != 0 {
            switch PtraceEvent(rawValue: event) {
            case .seccomp: return .seccomp
            case .exec:
                memory.addressSpaceReplaced()
                return .exec
            default: return .event(event)
            }
        }
        return .signal(signal)
    }

    /// Entry or exit, from `PTRACE_GET_SYSCALL_INFO` (its first byte is the stop kind).
    private func syscallStopKind(_ tid: pid_t) throws -> Stop {
        var info = [UInt8](repeating: 0, count: 88)
        let result = info.withUnsafeMutableBytes { buffer in
            rrdbg_ptrace(PtraceRequest.getSyscallInfo.rawValue, tid, UInt64(buffer.count), UInt64(UInt(bitPattern: buffer.baseAddress)))
        }
        if result == -1 { throw Errno.current("ptrace(PTRACE_GET_SYSCALL_INFO, \(tid))") }
        switch info[0] {
        case 1: return .syscallEntry
        case 2: return .syscallExit
        default: return .seccomp
        }
    }
}
