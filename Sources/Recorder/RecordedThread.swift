import Glibc
import Guest

/// A syscall the scheduler let run in the kernel while other threads ran.
struct SyscallInFlight {
    var entry: Registers
    var strings: [Int: [UInt8]]
}

/// One guest thread as the recorder's scheduler sees it.
///
/// Only one guest thread runs user code at a time, which is what makes memory shared between
/// threads deterministic. The others are either parked in a ptrace stop, waiting for their turn,
/// or blocked in the kernel in a syscall the scheduler let them start.
final class RecordedThread {
    enum State {
        /// Its stop (in `parked`) has not been looked at yet.
        case stopped
        /// Everything at its stop is recorded; it continues with `signal` when scheduled.
        case readyToResume(signal: Int32)
        /// In a syscall that may block; the call's exit stop has not arrived yet.
        case inKernel(SyscallInFlight)
        /// Parked at the exit stop of that syscall; its result is recorded when it is scheduled,
        /// so the trace shows the result where the thread continues.
        case syscallReturned(SyscallInFlight)
        /// Created by `clone`; its first stop has not arrived yet.
        case starting
        /// Resumed and running user code (only the current thread).
        case running
        /// Stopped by a stop signal's default action (job control), parked until a SIGCONT.
        case groupStopped
    }

    let tid: pid_t
    /// The process it belongs to (its thread group leader).
    var pid: pid_t
    var parked: StoppedThread?
    var state: State
    /// For a thread or process that was just created: the argument registers its creating call
    /// had before rrdbg rewrote it (see `TaskCreation`), which the new task must see too.
    var creatorArguments: [UInt64]?
    /// Registers of the syscall whose `syscallEntered` event is already in the trace; its
    /// completion is the thread's next syscall event.
    var announcedEntry: Registers?
    /// A SIGSTOP was sent to take the CPU away; its stop becomes an async point.
    var preemptionRequested = false
    /// Registers at the thread's last syscall exit; a signal stop with the same registers
    /// arrived on that syscall's return, before any user instruction ran.
    var registersAtLastSyscallExit: Registers?

    init(tid: pid_t, pid: pid_t, state: State) {
        self.tid = tid
        self.pid = pid
        self.state = state
    }

    /// True when the thread is parked and can be given the CPU.
    var isRunnable: Bool {
        guard parked != nil else { return false }
        switch state {
        case .stopped, .readyToResume, .syscallReturned: return true
        case .inKernel, .starting, .running, .groupStopped: return false
        }
    }

    var isInKernel: Bool {
        if case .inKernel = state { return true }
        return false
    }
}

/// Every live guest thread, and the order in which waiting threads get the CPU.
final class ThreadTable {
    private(set) var threads: [pid_t: RecordedThread] = [:]
    /// Runnable threads, oldest first: round-robin.
    private var queue: [pid_t] = []

    var count: Int { threads.count }

    /// The number of live threads of process `pid`.
    func count(inProcess pid: pid_t) -> Int {
        threads.values.filter { $0.pid == pid }.count
    }

    subscript(tid: pid_t) -> RecordedThread? { threads[tid] }

    @discardableResult
    func add(_ tid: pid_t, pid: pid_t, state: RecordedThread.State) -> RecordedThread {
        let thread = RecordedThread(tid: tid, pid: pid, state: state)
        threads[tid] = thread
        return thread
    }

    func remove(_ tid: pid_t) {
        threads[tid] = nil
        queue.removeAll { $0 == tid }
    }

    /// Puts a parked thread at the back of the queue.
    func enqueue(_ thread: RecordedThread) {
        if !queue.contains(thread.tid) { queue.append(thread.tid) }
    }

    /// The runnable thread that has waited longest, taken off the queue.
    func next() -> RecordedThread? {
        while !queue.isEmpty {
            let tid = queue.removeFirst()
            if let thread = threads[tid], thread.isRunnable { return thread }
        }
        return nil
    }

    /// True when some thread other than `tid` waits for the CPU.
    func othersWaiting(besides tid: pid_t) -> Bool {
        queue.contains { $0 != tid && threads[$0]?.isRunnable == true }
    }
}
