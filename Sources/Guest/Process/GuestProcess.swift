import CGuestShim
import Glibc
import System

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
    /// This process and the processes it created, which rrdbg traces as well.
    private let family: ProcessFamily

    init(pid: pid_t) {
        self.pid = pid
        memory = GuestMemory(pid: pid)
        family = ProcessFamily()
        Self.blockChildSignal()
    }

    private init(pid: pid_t, family: ProcessFamily) {
        self.pid = pid
        memory = GuestMemory(pid: pid)
        self.family = family
    }

    /// Starts tracking a process this guest forked (ptrace already traces it), so that its
    /// stops come with its own address space.
    public func adoptProcess(_ pid: pid_t) -> GuestProcess {
        if let known = family.processes[pid] { return known }
        let child = GuestProcess(pid: pid, family: family)
        family.processes[pid] = child
        return child
    }

    /// Records that thread `tid` belongs to this process.
    public func adoptThread(_ tid: pid_t) {
        family.owners[tid] = pid
    }

    /// The tracked process thread `tid` belongs to.
    private func owner(of tid: pid_t) -> GuestProcess {
        if let process = family.processes[tid] { return process }
        if let pid = family.owners[tid], let process = family.processes[pid] { return process }
        return self
    }

    /// Timed waits sleep in `sigtimedwait` for the SIGCHLD that every guest stop sends, which
    /// needs the signal blocked in the waiting thread. Guests started later unblock it again.
    private static func blockChildSignal() {
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &childSignal, nil)
    }

    deinit {
        killAndReap()
    }

    /// Kills the guest and reaps it and all its threads (the `PTRACE_O_EXITKILL` option also
    /// kills it if rrdbg dies).
    public func killAndReap() {
        let children = family.processes
        family.processes = [:]
        for child in children.values where child !== self && !child.ended {
            kill(child.pid, SIGKILL)
            child.ended = true
        }
        guard !ended else { return }
        kill(pid, SIGKILL)
        reapUntilLeaderEnds()
    }

    /// Reaps every thread of a guest that is ending (killed) until its main thread is gone. A
    /// traced thread group's leader is reported last, after the tracer has reaped every other
    /// thread.
    private func reapUntilLeaderEnds() {
        while !ended {
            guard let (reaped, status) = try? ChildProcesses.wait(for: -1, options: __WALL) else {
                ended = true
                return
            }
            if reaped == pid { _ = ending(status, of: pid) }
        }
    }

    /// Waits for thread `tid` of this process, which is dying, to be gone and returns how it
    /// ended. Stops on the way (a signal it still had to take) are let through.
    public func reapThread(_ tid: pid_t) -> GuestExit? {
        while true {
            guard let (_, status) = try? ChildProcesses.wait(for: tid, options: __WALL) else { return nil }
            if let exit = ending(status, of: tid) { return exit }
            _ = rrdbg_ptrace(PtraceRequest.cont.rawValue, tid, 0, 0)
        }
    }

    /// How thread `tid` ended, if `status` says it did; the main thread's end is the guest's.
    private func ending(_ status: Int32, of tid: pid_t) -> GuestExit? {
        let exit: GuestExit
        if rrdbg_wifexited(status) != 0 {
            exit = .exited(rrdbg_wexitstatus(status))
        } else if rrdbg_wifsignaled(status) != 0 {
            exit = .killed(signal: rrdbg_wtermsig(status), coreDumped: rrdbg_wcoredump(status) != 0)
        } else {
            return nil
        }
        if tid == pid { ended = true }
        return exit
    }

    /// True once the main thread has been reaped: the whole guest is gone.
    public var hasEnded: Bool { ended }

    /// Sends `signal` to one thread of the guest (`tgkill`).
    public func signalThread(_ tid: pid_t, _ signal: Int32) throws {
        try Self.signal(tid, of: pid, signal)
    }

    /// Sends `signal` to thread `tid` of process `pid` (`tgkill`).
    public static func signal(_ tid: pid_t, of pid: pid_t, _ signal: Int32) throws {
        if rrdbg_tgkill(pid, tid, signal) == -1 {
            throw Errno.current("tgkill(\(pid), \(tid), \(signal))")
        }
    }

    /// Something to do whenever the guest has run for `interval` without stopping.
    private var idleHandler: (interval: timespec, action: () -> Void)?

    /// Calls `action` every `seconds` while waiting for a guest that keeps running (blocked in
    /// a syscall or computing), so that a recorder can flush its trace in the meantime.
    ///
    /// It waits for SIGCHLD with a timeout; the kernel sends SIGCHLD to the tracer at every
    /// guest stop.
    public func whileRunning(every seconds: Double, _ action: @escaping () -> Void) {
        idleHandler = (Self.interval(seconds), action)
    }

    func waitForStop(of tid: pid_t) throws -> WaitOutcome {
        var status: Int32 = 0
        if let idleHandler {
            _ = try waitCallingIdle(tid, &status, idleHandler, deadline: nil)
        } else {
            try retryingOnInterrupt("waitpid(\(tid))") { waitpid(tid, &status, __WALL) }
        }
        return outcome(of: status, tid: tid)
    }

    /// Waits up to `seconds` for the next stop of thread `tid`; nil if it is still running.
    public func waitForStop(of tid: pid_t, timeout seconds: Double) throws -> WaitOutcome? {
        var status: Int32 = 0
        let idle = idleHandler ?? (Self.interval(seconds), {})
        guard try waitCallingIdle(tid, &status, idle, deadline: Self.deadline(after: seconds)) == tid else { return nil }
        return outcome(of: status, tid: tid)
    }

    /// Waits up to `seconds` (or for ever, when nil) for the next stop or end of any thread of
    /// the guest. Used while several guest threads may be in the kernel at once; nil on timeout.
    public func waitForAnyThread(timeout seconds: Double?) throws -> ThreadOutcome? {
        var status: Int32 = 0
        let idle = idleHandler ?? (Self.interval(seconds ?? 1), {})
        let reaped = try waitCallingIdle(-1, &status, idle, deadline: seconds.map(Self.deadline(after:)))
        guard reaped > 0 else { return nil }
        let result = owner(of: reaped).outcome(of: status, tid: reaped)
        switch consume result {
        case .stopped(let thread): return .stopped(thread)
        case .ended(let exit): return .ended(tid: reaped, exit)
        }
    }

    private func outcome(of status: Int32, tid: pid_t) -> WaitOutcome {
        if let exit = ending(status, of: tid) { return .ended(exit) }
        return .stopped(StoppedThread(process: self, tid: tid, stop: decodeStop(status, tid: tid)))
    }

    /// `waitpid(tid)` that calls the idle action at every idle interval and gives up at
    /// `deadline` (a `CLOCK_MONOTONIC` time), returning 0 then; otherwise the reaped tid.
    private func waitCallingIdle(
        _ tid: pid_t, _ status: inout Int32, _ idle: (interval: timespec, action: () -> Void), deadline: timespec?
    ) throws -> pid_t {
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        while true {
            let reaped = try retryingOnInterrupt("waitpid(\(tid))") { waitpid(tid, &status, __WALL | WNOHANG) }
            if reaped > 0 { return reaped }
            var timeout = idle.interval
            if let deadline {
                let left = Self.remaining(until: deadline)
                guard let left else { return 0 }
                if Self.seconds(left) < Self.seconds(timeout) { timeout = left }
            }
            if sigtimedwait(&childSignal, nil, &timeout) == -1 && errno == EAGAIN {
                idle.action()
            }
        }
    }

    private static func interval(_ seconds: Double) -> timespec {
        let whole = Int(seconds)
        return timespec(tv_sec: whole, tv_nsec: Int((seconds - Double(whole)) * 1e9))
    }

    private static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }

    private static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time
    }

    private static func deadline(after seconds: Double) -> timespec {
        interval(Self.seconds(now()) + seconds)
    }

    /// Time left until `deadline`, or nil once it has passed.
    private static func remaining(until deadline: timespec) -> timespec? {
        let left = seconds(deadline) - seconds(now())
        return left > 0 ? interval(left) : nil
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

/// The processes of one guest: where a thread's stops belong.
private final class ProcessFamily {
    var processes: [pid_t: GuestProcess] = [:]
    var owners: [pid_t: pid_t] = [:]
}
