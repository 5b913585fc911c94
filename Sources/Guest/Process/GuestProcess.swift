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

    /// Something to do whenever the guest has run for `interval` without stopping.
    private var idleHandler: (interval: timespec, action: () -> Void)?

    /// Calls `action` every `seconds` while waiting for a guest that keeps running (blocked in
    /// a syscall or computing), so that a recorder can flush its trace in the meantime.
    ///
    /// It blocks SIGCHLD in the calling thread and waits for it with a timeout; the kernel sends
    /// SIGCHLD to the tracer at every guest stop. Call it after the guest has exec'd, so the
    /// guest does not inherit the blocked signal.
    public func whileRunning(every seconds: Double, _ action: @escaping () -> Void) {
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &childSignal, nil)
        let whole = Int(seconds)
        idleHandler = (timespec(tv_sec: whole, tv_nsec: Int((seconds - Double(whole)) * 1e9)), action)
    }

    func waitForStop(of tid: pid_t) throws -> WaitOutcome {
        var status: Int32 = 0
        if let idleHandler {
            try waitCallingIdle(tid, &status, idleHandler)
        } else {
            try retryingOnInterrupt("waitpid(\(tid))") { waitpid(tid, &status, __WALL) }
        }
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

    private func waitCallingIdle(_ tid: pid_t, _ status: inout Int32, _ idle: (interval: timespec, action: () -> Void)) throws {
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        while true {
            let reaped = try retryingOnInterrupt("waitpid(\(tid))") { waitpid(tid, &status, __WALL | WNOHANG) }
            if reaped == tid { return }
            var timeout = idle.interval
            if sigtimedwait(&childSignal, nil, &timeout) == -1 && errno == EAGAIN {
                idle.action()
            }
        }
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

    /// Entry or exit. A syscall stop right after a seccomp stop, an entry stop or an event stop
    /// (exec, fork and clone events happen inside their syscall) is that call's exit; any other
    /// is a new call's entry.
    /// Working this out saves a `PTRACE_GET_SYSCALL_INFO` on every recorded syscall.
    private func syscallStopKind(after previous: Stop?) -> Stop {
        switch previous {
        case .seccomp?, .syscallEntry?, .exec?, .event?: return .syscallExit
        default: return .syscallEntry
        }
    }
}
