/// Clocks, sleeps and timers: the main source of nondeterminism after input itself.
///
/// All are emulated. Replay returns the recorded times, skips the sleeps, and arms no real
/// timers: a timer's expiry reaches the guest as a signal, which the trace records as its own
/// event at its exact point of delivery.
enum TimeSyscalls {
    static let descriptors: [SyscallDescriptor] = clocks + sleeps + timers

    static let clocks: [SyscallDescriptor] = [
        SyscallDescriptor(.clock_gettime, [.clockID, .pointer], tracerAnswer: .clockTime) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(.clock_getres, [.clockID, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(.gettimeofday, [.pointer, .pointer], tracerAnswer: .timeOfDay) {
            $0.range(atArgument: 0, length: KernelStructSize.timeval)
                + $0.range(atArgument: 1, length: KernelStructSize.timezone)
        },
        // time returns the seconds and also stores them at its pointer when there is one.
        SyscallDescriptor(.time, [.pointer], tracerAnswer: .seconds) {
            $0.range(atArgument: 0, length: KernelStructSize.long)
        },
        SyscallDescriptor(.times, [.pointer]) { $0.range(atArgument: 0, length: KernelStructSize.tms) },
        SyscallDescriptor(.getrusage, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.rusage)
        },
    ]

    /// The kernel stores the remaining time only when a signal interrupts the sleep, an error
    /// result that `writesWhenInterrupted` makes an exception for. Recording the buffer on success as
    /// well keeps the rule simple and costs nothing: the bytes are unchanged, and writing them
    /// back in replay writes the same values.
    static let sleeps: [SyscallDescriptor] = [
        SyscallDescriptor(.nanosleep, [.pointer, .pointer], blocks: .always, writesWhenInterrupted: true) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(
            .clock_nanosleep, [.clockID, .hex, .pointer, .pointer], blocks: .always, writesWhenInterrupted: true
        ) {
            $0.range(atArgument: 3, length: KernelStructSize.timespec)
        },
    ]

    /// Interval timers, POSIX timers and timer descriptors. The "get" forms and the "set"
    /// forms' old-value pointers receive a `struct itimerval` or `struct itimerspec`.
    static let timers: [SyscallDescriptor] = [
        SyscallDescriptor(.alarm, [.unsigned]),
        SyscallDescriptor(.getitimer, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerval)
        },
        SyscallDescriptor(.setitimer, [.signed, .pointer, .pointer]) {
            $0.range(atArgument: 2, length: KernelStructSize.itimerval)
        },
        // The kernel's timer_t is an int.
        SyscallDescriptor(.timer_create, [.clockID, .pointer, .pointer]) {
            $0.range(atArgument: 2, length: KernelStructSize.int)
        },
        SyscallDescriptor(.timer_settime, [.signed, .hex, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(.timer_gettime, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(.timer_getoverrun, [.signed]),
        SyscallDescriptor(.timer_delete, [.signed]),
        SyscallDescriptor(.timerfd_create, [.clockID, .statusFlags], fileDescriptors: .opens(.timerfd)),
        SyscallDescriptor(.timerfd_settime, [.fd, .hex, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.itimerspec)
        },
        SyscallDescriptor(.timerfd_gettime, [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.itimerspec)
        },
    ]
}
