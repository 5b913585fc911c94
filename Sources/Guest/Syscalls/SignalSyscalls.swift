/// Signal state, sending and waiting.
///
/// Handlers, the blocked mask and the alternate stack decide where the kernel delivers a
/// signal in the replaying process, so replay installs them for real. Sending and waiting are
/// emulated: every delivery is its own event in the trace, and replay injects it at the
/// recorded point whoever sent it.
enum SignalSyscalls {
    static let descriptors: [SyscallDescriptor] = state + sending + waiting

    static let state: [SyscallDescriptor] = [
        SyscallDescriptor(13, "rt_sigaction", [.signal, .pointer, .pointer, .unsigned], .execute) {
            $0.range(atArgument: 2, length: KernelStructSize.sigaction)
        },
        // The old mask is `sigsetsize` bytes; the kernel accepts only 8.
        SyscallDescriptor(14, "rt_sigprocmask", [.sigprocmaskHow, .pointer, .pointer, .unsigned], .execute) {
            $0.range(atArgument: 2, length: Int(clamping: $0.argument(3)))
        },
        SyscallDescriptor(127, "rt_sigpending", [.pointer, .unsigned]) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)))
        },
        // Returning from a handler restores the interrupted registers and mask: replay must
        // run it to continue where the recording did.
        SyscallDescriptor(15, "rt_sigreturn", [], .execute),
        SyscallDescriptor(131, "sigaltstack", [.pointer, .pointer], .execute) {
            $0.range(atArgument: 1, length: KernelStructSize.stackT)
        },
        SyscallDescriptor(282, "signalfd", [.fd, .pointer, .unsigned]),
        SyscallDescriptor(289, "signalfd4", [.fd, .pointer, .unsigned, .statusFlags]),
    ]

    static let sending: [SyscallDescriptor] = [
        SyscallDescriptor(62, "kill", [.signed, .signal]),
        SyscallDescriptor(200, "tkill", [.signed, .signal]),
        SyscallDescriptor(234, "tgkill", [.signed, .signed, .signal]),
        SyscallDescriptor(129, "rt_sigqueueinfo", [.signed, .signal, .pointer]),
        SyscallDescriptor(297, "rt_tgsigqueueinfo", [.signed, .signed, .signal, .pointer]),
    ]

    /// Waiting for a signal. Only `rt_sigtimedwait` hands the signal back in memory, as a
    /// `siginfo_t`; the others return only when a handler has run, which the trace records.
    static let waiting: [SyscallDescriptor] = [
        SyscallDescriptor(128, "rt_sigtimedwait", [.pointer, .pointer, .pointer, .unsigned]) {
            $0.range(atArgument: 1, length: KernelStructSize.siginfo)
        },
        // Run for real: it installs the mask under which its signal is delivered, and the
        // replay makes that signal pending before the call, so it returns at once.
        SyscallDescriptor(130, "rt_sigsuspend", [.pointer, .unsigned], .execute),
        SyscallDescriptor(34, "pause", []),
    ]
}
