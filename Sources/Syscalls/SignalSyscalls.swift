/// Signal state, sending and waiting.
///
/// Handlers, the blocked mask and the alternate stack decide where the kernel delivers a
/// signal in the replaying process, so replay installs them for real. Sending and waiting are
/// emulated: every delivery is its own event in the trace, and replay injects it at the
/// recorded point whoever sent it.
enum SignalSyscalls {
    static let descriptors: [SyscallDescriptor] = state + sending + waiting

    static let state: [SyscallDescriptor] = [
        SyscallDescriptor(.rt_sigaction, [.signal, .pointer, .pointer, .unsigned], .execute) {
            $0.range(atArgument: 2, length: KernelStructSize.sigaction)
        },
        // The old mask is `sigsetsize` bytes; the kernel accepts only 8.
        SyscallDescriptor(.rt_sigprocmask, [.sigprocmaskHow, .pointer, .pointer, .unsigned], .execute) {
            $0.range(atArgument: 2, length: Int(clamping: $0.argument(3)))
        },
        SyscallDescriptor(.rt_sigpending, [.pointer, .unsigned]) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)))
        },
        // Returning from a handler restores the interrupted registers and mask: replay must
        // run it to continue where the recording did.
        SyscallDescriptor(.rt_sigreturn, [], .execute),
        SyscallDescriptor(.sigaltstack, [.pointer, .pointer], .execute) {
            $0.range(atArgument: 1, length: KernelStructSize.stackT)
        },
        SyscallDescriptor(.signalfd, [.fd, .pointer, .unsigned], fileDescriptors: .opens(.signalfd)),
        SyscallDescriptor(
            .signalfd4, [.fd, .pointer, .unsigned, .statusFlags], fileDescriptors: .opens(.signalfd)
        ),
    ]

    static let sending: [SyscallDescriptor] = [
        SyscallDescriptor(.kill, [.signed, .signal]),
        SyscallDescriptor(.tkill, [.signed, .signal]),
        SyscallDescriptor(.tgkill, [.signed, .signed, .signal]),
        SyscallDescriptor(.rt_sigqueueinfo, [.signed, .signal, .pointer]),
        SyscallDescriptor(.rt_tgsigqueueinfo, [.signed, .signed, .signal, .pointer]),
    ]

    /// Waiting for a signal. Only `rt_sigtimedwait` hands the signal back in memory, as a
    /// `siginfo_t`; the others return only when a handler has run, which the trace records.
    static let waiting: [SyscallDescriptor] = [
        SyscallDescriptor(.rt_sigtimedwait, [.pointer, .pointer, .pointer, .unsigned], blocks: .always) {
            $0.range(atArgument: 1, length: KernelStructSize.siginfo)
        },
        // Run for real: it installs the mask under which its signal is delivered, and the
        // replay makes that signal pending before the call, so it returns at once.
        SyscallDescriptor(.rt_sigsuspend, [.pointer, .unsigned], .execute, blocks: .always),
        SyscallDescriptor(.pause, [], blocks: .always),
    ]
}
