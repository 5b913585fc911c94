/// How the recorder answers a call itself at its seccomp stop, skipping the kernel.
///
/// A recorded syscall normally costs two ptrace stops (entry and exit). For calls whose answer
/// the recorder can compute exactly as the kernel would (the guest's ids and the system
/// clocks), answering at entry saves the second stop, which roughly halves the cost of the time
/// calls that programs make in loops. The recorder still leaves anything unusual (a NULL
/// pointer, a per-process CPU clock) to the kernel.
public enum TracerAnswer: Equatable, Sendable {
    /// `getpid`: the calling thread's process id.
    case processID
    /// `gettid`: the calling thread's id.
    case threadID
    /// `getppid`: the parent of the process.
    case parentProcessID
    /// `clock_gettime(clock, timespec)`.
    case clockTime
    /// `gettimeofday(timeval, timezone)`.
    case timeOfDay
    /// `time(seconds)`: the seconds since the epoch.
    case seconds
    /// The call fails with this errno without reaching the kernel. `clone3` fails with `ENOSYS`
    /// so that the C library falls back to `clone`, whose arguments are all in registers.
    case failure(errno: Int32)
}
