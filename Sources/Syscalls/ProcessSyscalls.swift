import Glibc

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
        SyscallDescriptor(.getpid, [], tracerAnswer: .processID),
        SyscallDescriptor(.getppid, [], tracerAnswer: .parentProcessID),
        SyscallDescriptor(.gettid, [], tracerAnswer: .threadID),
        SyscallDescriptor(.getuid, []),
        SyscallDescriptor(.geteuid, []),
        SyscallDescriptor(.getgid, []),
        SyscallDescriptor(.getegid, []),
        // A size of 0 asks only for the count and writes nothing; otherwise one 4-byte gid
        // for each group returned.
        SyscallDescriptor(.getgroups, [.signed, .pointer]) { context in
            let groups = context.argument(0) == 0 ? 0 : context.resultCount
            return context.range(atArgument: 1, length: groups * KernelStructSize.int)
        },
        SyscallDescriptor(.getresuid, [.pointer, .pointer, .pointer], writes: threeIDs),
        SyscallDescriptor(.getresgid, [.pointer, .pointer, .pointer], writes: threeIDs),
        // capget fills in the header's version when it is not one the kernel knows, and two
        // 32-bit triples (version 3) of capability sets.
        SyscallDescriptor(.capget, [.pointer, .pointer]) { context in
            context.range(atArgument: 0, length: 2 * KernelStructSize.int)
                + context.range(atArgument: 1, length: 6 * KernelStructSize.int)
        },
        SyscallDescriptor(.capset, [.pointer, .pointer]),
        // Changing identities writes no memory; make and other tools drop privileges with these.
        SyscallDescriptor(.setuid, [.signed]),
        SyscallDescriptor(.setgid, [.signed]),
        SyscallDescriptor(.setreuid, [.signed, .signed]),
        SyscallDescriptor(.setregid, [.signed, .signed]),
        SyscallDescriptor(.setresuid, [.signed, .signed, .signed]),
        SyscallDescriptor(.setresgid, [.signed, .signed, .signed]),
        SyscallDescriptor(.getpgrp, []),
        SyscallDescriptor(.getpgid, [.signed]),
        SyscallDescriptor(.getsid, [.signed]),
        SyscallDescriptor(.setpgid, [.signed, .signed]),
        SyscallDescriptor(.setsid, []),
    ]

    static let systemInformation: [SyscallDescriptor] = [
        SyscallDescriptor(.uname, [.pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.utsname)
        },
        SyscallDescriptor(.sysinfo, [.pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.sysinfo)
        },
        SyscallDescriptor(.getrandom, [.pointer, .unsigned, .hex]) { $0.resultBytes(atArgument: 0) },
        SyscallDescriptor(.personality, [.hex]),
        // The third argument is an unused cache the kernel ignores.
        SyscallDescriptor(.getcpu, [.pointer, .pointer, .pointer]) {
            $0.range(atArgument: 0, length: KernelStructSize.int)
                + $0.range(atArgument: 1, length: KernelStructSize.int)
        },
    ]

    static let limitsAndScheduling: [SyscallDescriptor] = [
        SyscallDescriptor(.prlimit64, [.signed, .signed, .pointer, .pointer]) {
            $0.range(atArgument: 3, length: KernelStructSize.rlimit)
        },
        SyscallDescriptor(.getrlimit, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.rlimit)
        },
        SyscallDescriptor(.setrlimit, [.signed, .pointer]),
        SyscallDescriptor(.getpriority, [.signed, .signed]),
        SyscallDescriptor(.setpriority, [.signed, .signed, .signed]),
        // The raw call returns the size of the kernel's CPU mask, which is what it copied.
        SyscallDescriptor(.sched_getaffinity, [.signed, .unsigned, .pointer]) {
            $0.resultBytes(atArgument: 2)
        },
        SyscallDescriptor(.sched_setaffinity, [.signed, .unsigned, .pointer]),
        SyscallDescriptor(.sched_yield, [], blocks: .always),
        // struct sched_param is a single int.
        SyscallDescriptor(.sched_getparam, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.int)
        },
        SyscallDescriptor(.sched_setparam, [.signed, .pointer]),
        SyscallDescriptor(.sched_getscheduler, [.signed]),
        SyscallDescriptor(.sched_setscheduler, [.signed, .signed, .pointer]),
        SyscallDescriptor(.sched_get_priority_max, [.signed]),
        SyscallDescriptor(.sched_get_priority_min, [.signed]),
        SyscallDescriptor(.sched_rr_get_interval, [.signed, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.timespec)
        },
    ]

    static let lifecycle: [SyscallDescriptor] = [
        SyscallDescriptor(.exit, [.signed], .exit),
        SyscallDescriptor(.exit_group, [.signed], .exit),
        // wait4 stores the status and usage only when it reaped a child (a positive pid);
        // with WNOHANG and nothing to report it returns 0 and writes nothing.
        SyscallDescriptor(.wait4, [.signed, .pointer, .hex, .pointer], blocks: .always) { context in
            context.result > 0
                ? context.range(atArgument: 1, length: KernelStructSize.int)
                    + context.range(atArgument: 3, length: KernelStructSize.rusage)
                : []
        },
        // waitid returns 0 whether or not it found a child, and fills in (part of) the
        // siginfo either way; the usage is recorded whenever asked for, which is exact
        // because the kernel leaves it untouched when it has nothing to report.
        SyscallDescriptor(.waitid, [.signed, .signed, .pointer, .hex, .pointer], blocks: .always) {
            $0.range(atArgument: 2, length: KernelStructSize.siginfo)
                + $0.range(atArgument: 4, length: KernelStructSize.rusage)
        },
        // clone stores the new thread's id through the parent and child tid pointers when
        // asked to; replay stores the recorded id there.
        SyscallDescriptor(.clone, [.hex, .pointer, .pointer, .pointer, .pointer], .createTask) { context in
            let flags = context.arguments[0]
            return (flags & CloneFlags.parentSetTID != 0 ? context.range(atArgument: 2, length: KernelStructSize.int) : [])
                + (flags & CloneFlags.childSetTID != 0 ? context.range(atArgument: 3, length: KernelStructSize.int) : [])
        },
        // The recorder answers clone3 with ENOSYS, so that glibc falls back to clone, whose
        // arguments are all in registers.
        SyscallDescriptor(.clone3, [.pointer, .unsigned], tracerAnswer: .failure(errno: ENOSYS)),
        SyscallDescriptor(.fork, [], .createTask),
        SyscallDescriptor(.vfork, [], .createTask),
        SyscallDescriptor(.execve, [.string, .pointer, .pointer], .replaceImage),
        SyscallDescriptor(.execveat, [.dirfd, .string, .pointer, .pointer, .atFlags], .replaceImage),
    ]

    /// `getresuid(ruid, euid, suid)`: one 4-byte id through each pointer.
    static let threeIDs: SyscallOutputRule = { context in
        (0..<3).flatMap { context.range(atArgument: $0, length: KernelStructSize.int) }
    }
}
