/// Clocks, sleeps and timers: the main source of nondeterminism after input itself.
///
/// All are emulated. Replay returns the recorded times, skips the sleeps, and arms no real
/// timers: a timer's expiry reaches the guest as a signal, which the trace records as its own
/// event at its exact point of delivery.
enum TimeSyscalls {
    static let descriptors: [SyscallDescriptor] = clocks + sleeps + timers

    static let clocks: [SyscallDescriptor] = [
        SyscallDescriptor(228, "clock_gettime", [.clockID, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(229, "clock_getres", [.clockID, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(96, "gettimeofday", [.pointer, .pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.timeval)
                + $0.range(atArgument: 1, length: KernelStructSize.timezone)
        },
        // time returns the seconds and also stores them at its pointer when there is one.
        SyscallDescriptor(201, "time", [.pointer]) { $0.range(atArgument: 0, length: KernelStructSize.long) },
        SyscallDescriptor(100, "times", [.pointer]) { $0.range(atArgument: 0, length: KernelStructSize.tms) },
        SyscallDescriptor(98, "getrusage", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.rusage)
        },
    ]

    /// The kernel stores the remaining time only when a signal interrupts the sleep, an error
    /// result that `writtenMemory` makes an exception for. Recording the buffer on success as
    /// well keeps the rule simple and costs nothing: the bytes are unchanged, and writing them
    /// back in replay writes the same values.
    static let sleeps: [SyscallDescriptor] = [
        SyscallDescriptor(35, "nanosleep", [.pointer, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(230, "clock_nanosleep", [.clockID, .hex, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.timespec)
        },
    ]

    /// Interval timers, POSIX timers and timer descriptors. The "get" forms and the "set"
    /// forms' old-value pointers receive a `struct itimerval` or `struct itimerspec`.
    static let timers: [SyscallDescriptor] = [
        SyscallDescriptor(37, "alarm", [.unsigned]),
        SyscallDescriptor(36, "getitimer", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerval)
        },
        SyscallDescriptor(38, "setitimer", [.signed, .pointer, .pointer]) {
            $0.range(atArgument: 2, length: KernelStructSize.itimerval)
        },
        // The kernel's timer_t is an int.
        SyscallDescriptor(222, "timer_create", [.clockID, .pointer, .pointer]) {
            $0.range(atArgument: 2, length: KernelStructSize.int)
        },
        SyscallDescriptor(223, "timer_settime", [.signed, .hex, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(224, "timer_gettime", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(225, "timer_getoverrun", [.signed]),
        SyscallDescriptor(226, "timer_delete", [.signed]),
        SyscallDescriptor(283, "timerfd_create", [.clockID, .statusFlags]),
        SyscallDescriptor(286, "timerfd_settime", [.fd, .hex, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(287, "timerfd_gettime", [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerspec)
        },
    ]
}
