/// Process identity, system information, limits, scheduling, and the process lifecycle.
///
/// Everything that only reports on the process or the machine is emulated, so a trace replays
/// with the recorded pids, uids, host name and limits on any machine. Exiting runs for real.
/// Creating processes, threads, or new program images is refused for now: each needs the
/// guest kernel to follow more than one address space or image, which it does not do yet.
enum ProcessSyscalls {
    static let descriptors: [SyscallDescriptor] =
        identity + systemInformation + limitsAndScheduling + lifecycle

    static let identity: [SyscallDescriptor] = [
        SyscallDescriptor(39, "getpid", []),
        SyscallDescriptor(110, "getppid", []),
        SyscallDescriptor(186, "gettid", []),
        SyscallDescriptor(102, "getuid", []),
        SyscallDescriptor(107, "geteuid", []),
        SyscallDescriptor(104, "getgid", []),
        SyscallDescriptor(108, "getegid", []),
        // A size of 0 asks only for the count and writes nothing; otherwise one 4-byte gid
        // for each group returned.
        SyscallDescriptor(115, "getgroups", [.signed, .pointer]) { context in
            let groups = context.argument(0) == 0 ? 0 : context.resultCount
            return context.range(atArgument: 1, length: groups * KernelStructSize.int)
        },
        SyscallDescriptor(118, "getresuid", [.pointer, .pointer, .pointer], writes: threeIDs),
        SyscallDescriptor(120, "getresgid", [.pointer, .pointer, .pointer], writes: threeIDs),
        // capget fills in the header's version when it is not one the kernel knows, and two
        // 32-bit triples (version 3) of capability sets.
        SyscallDescriptor(125, "capget", [.pointer, .pointer]) { context in
            context.range(atArgument: 0, length: 2 * KernelStructSize.int)
                + context.range(atArgument: 1, length: 6 * KernelStructSize.int)
        },
        SyscallDescriptor(126, "capset", [.pointer, .pointer]),
        // Changing identities writes no memory; make and other tools drop privileges with these.
        SyscallDescriptor(105, "setuid", [.signed]),
        SyscallDescriptor(106, "setgid", [.signed]),
        SyscallDescriptor(113, "setreuid", [.signed, .signed]),
        SyscallDescriptor(114, "setregid", [.signed, .signed]),
        SyscallDescriptor(117, "setresuid", [.signed, .signed, .signed]),
        SyscallDescriptor(119, "setresgid", [.signed, .signed, .signed]),
        SyscallDescriptor(111, "getpgrp", []),
        SyscallDescriptor(121, "getpgid", [.signed]),
        SyscallDescriptor(124, "getsid", [.signed]),
        SyscallDescriptor(109, "setpgid", [.signed, .signed]),
        SyscallDescriptor(112, "setsid", []),
    ]

    static let systemInformation: [SyscallDescriptor] = [
        SyscallDescriptor(63, "uname", [.pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.utsname)
        },
        SyscallDescriptor(99, "sysinfo", [.pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.sysinfo)
        },
        SyscallDescriptor(318, "getrandom", [.pointer, .unsigned, .hex]) { $0.resultBytes(atArgument: 0) },
        SyscallDescriptor(135, "personality", [.hex]),
        // The third argument is an unused cache the kernel ignores.
        SyscallDescriptor(309, "getcpu", [.pointer, .pointer, .pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.int)
                + $0.range(atArgument: 1, length: KernelStructSize.int)
        },
    ]

    static let limitsAndScheduling: [SyscallDescriptor] = [
        SyscallDescriptor(302, "prlimit64", [.signed, .signed, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.rlimit)
        },
        SyscallDescriptor(97, "getrlimit", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.rlimit)
        },
        SyscallDescriptor(160, "setrlimit", [.signed, .pointer]),
        SyscallDescriptor(140, "getpriority", [.signed, .signed]),
        SyscallDescriptor(141, "setpriority", [.signed, .signed, .signed]),
        // The raw call returns the size of the kernel's CPU mask, which is what it copied.
        SyscallDescriptor(204, "sched_getaffinity", [.signed, .unsigned, .pointer]) {
            $0.resultBytes(atArgument: 2)
        },
        SyscallDescriptor(203, "sched_setaffinity", [.signed, .unsigned, .pointer]),
        SyscallDescriptor(24, "sched_yield", []),
        // struct sched_param is a single int.
        SyscallDescriptor(143, "sched_getparam", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.int)
        },
        SyscallDescriptor(142, "sched_setparam", [.signed, .pointer]),
        SyscallDescriptor(145, "sched_getscheduler", [.signed]),
        SyscallDescriptor(144, "sched_setscheduler", [.signed, .signed, .pointer]),
        SyscallDescriptor(146, "sched_get_priority_max", [.signed]),
        SyscallDescriptor(147, "sched_get_priority_min", [.signed]),
        SyscallDescriptor(148, "sched_rr_get_interval", [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
    ]

    static let lifecycle: [SyscallDescriptor] = [
        SyscallDescriptor(60, "exit", [.signed], .exit),
        SyscallDescriptor(231, "exit_group", [.signed], .exit),
        // wait4 stores the status and usage only when it reaped a child (a positive pid);
        // with WNOHANG and nothing to report it returns 0 and writes nothing.
        SyscallDescriptor(61, "wait4", [.signed, .pointer, .hex, .pointer]) { context in
            context.result > 0
                ? context.range(atArgument: 1, length: KernelStructSize.int)
                    + context.range(atArgument: 3, length: KernelStructSize.rusage)
                : []
        },
        // waitid returns 0 whether or not it found a child, and fills in (part of) the
        // siginfo either way; the usage is recorded whenever asked for, which is exact
        // because the kernel leaves it untouched when it has nothing to report.
        SyscallDescriptor(247, "waitid", [.signed, .signed, .pointer, .hex, .pointer]) {
            $0.range(atArgument: 2, length: KernelStructSize.siginfo)
                + $0.range(atArgument: 4, length: KernelStructSize.rusage)
        },
        // clone stores the new thread's id through the parent and child tid pointers when
        // asked to; replay stores the recorded id there.
        SyscallDescriptor(56, "clone", [.hex, .pointer, .pointer, .pointer, .pointer], .createTask) { context in
            let flags = context.arguments[0]
            return (flags & CloneFlags.parentSetTID != 0 ? context.range(atArgument: 2, length: KernelStructSize.int) : [])
                + (flags & CloneFlags.childSetTID != 0 ? context.range(atArgument: 3, length: KernelStructSize.int) : [])
        },
        // The recorder answers clone3 with ENOSYS, so that glibc falls back to clone, whose
        // arguments are all in registers.
        SyscallDescriptor(435, "clone3", [.pointer, .unsigned]),
        SyscallDescriptor(57, "fork", [], .createTask),
        SyscallDescriptor(58, "vfork", [], .createTask),
        SyscallDescriptor(59, "execve", [.string, .pointer, .pointer], .replaceImage),
        SyscallDescriptor(322, "execveat", [.dirfd, .string, .pointer, .pointer, .atFlags], .replaceImage),
    ]

    /// `getresuid(ruid, euid, suid)`: one 4-byte id through each pointer.
    static let threeIDs: SyscallOutputRule = { context in
        (0..<3).flatMap { context.range(atArgument: $0, length: KernelStructSize.int) }
    }
}

/// The `clone` flags rrdbg looks at.
public enum CloneFlags {
    public static let vm: UInt64 = 0x100
    public static let vfork: UInt64 = 0x4000
    public static let thread: UInt64 = 0x10000
    /// The low byte: the signal the parent gets when the child ends.
    public static let exitSignalMask: UInt64 = 0xff
    public static let parentSetTID: UInt64 = 0x100000
    public static let childSetTID: UInt64 = 0x1000000
}
