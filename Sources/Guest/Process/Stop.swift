/// Why a guest thread is stopped, decoded from its wait status.
public enum Stop: Equatable, Sendable {
    /// The seccomp filter returned TRACE: the thread is at a syscall's entry and the call has
    /// not run yet.
    case seccomp
    /// A syscall-entry stop (only seen when resumed with `PTRACE_SYSCALL` from user mode).
    case syscallEntry
    /// A syscall-exit stop: the call has run and `rax` holds its result.
    case syscallExit
    /// The program image was replaced by `execve`.
    case exec
    /// A `PTRACE_EVENT_*` other than exec or seccomp (clone, fork, vfork, exit).
    case event(Int32)
    /// A signal is about to be delivered; resuming with the signal delivers it.
    case signal(Int32)
}

/// How a guest ended.
public enum GuestExit: Equatable, Sendable {
    case exited(Int32)
    case killed(signal: Int32, coreDumped: Bool)
}

/// `PTRACE_EVENT_*` codes callers compare with `Stop.event`.
public enum PtraceEventCode {
    public static let clone: Int32 = 3
    /// The events of `fork`, `vfork` and `clone`, which all create a task.
    public static let creations: Set<Int32> = [1, 2, 3]
}
