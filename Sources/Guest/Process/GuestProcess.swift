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
    /// Each thread's previous stop, to tell syscall-entry from syscall-exit stops.
    private var lastStop: [pid_t: Stop] = [:]

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
        return .stopped(StoppedThread(process: self, tid: tid, stop: decodeStop(status, tid: tid)))
    }

    private func decodeStop(_ status: Int32, tid: pid_t) -> Stop {
        let signal = rrdbg_wstopsig(status)
        let event = (status >> 16) & 0xff
        if signal == SIGTRAP | 0x80 {
            let stop = syscallStopKind(after: lastStop[tid])
            lastStop[tid] = stop
            return stop
        }
        let stop: Stop
        if signal == SIGTRAP && event != 0 {
            switch PtraceEvent(rawValue: event) {
            case .seccomp: stop = .seccomp
            case .exec:
                memory.addressSpaceReplaced()
                stop = .exec
            default: stop = .event(event)
            }
        } else {
            stop = .signal(signal)
        }
        lastStop[tid] = stop
        return stop
    }

    /// Entry or exit. A syscall stop right after a seccomp stop, an entry stop or an exec stop
    /// (which happens inside execve) is that call's exit; any other is a new call's entry.
    /// Working this out saves a `PTRACE_GET_SYSCALL_INFO` on every recorded syscall.
    private func syscallStopKind(after previous: Stop?) -> Stop {
        switch previous {
        case .seccomp?, .syscallEntry?, .exec?: return .syscallExit
        default: return .syscallEntry
        }
    }
}
