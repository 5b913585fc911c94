/// The symbolic names `dump` shows for flag and enumeration arguments, strace-style, so a
/// reader sees `O_RDONLY|O_CLOEXEC` rather than `0x80000`. Bits without a name are kept, in
/// hex, so nothing an argument held is ever hidden.
enum SyscallArgumentNames {
    /// `O_RDONLY|O_CREAT|...`: the access mode, then the other flags.
    static func openFlags(_ value: UInt64) -> String {
        let flags = UInt64(UInt32(truncatingIfNeeded: value))
        let accessModes = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"]
        let mode = accessModes[Int(flags & 3)]
        return ([mode] + flagNames(flags & ~3, fileStatusFlags)).joined(separator: "|")
    }

    /// The file status flags alone, for calls that take no access mode (`pipe2`, `dup3`).
    static func statusFlags(_ value: UInt64) -> String {
        joined(flagNames(UInt64(UInt32(truncatingIfNeeded: value)), fileStatusFlags))
    }

    /// Multi-bit flags come before the single bits they contain, so `O_SYNC` is named as
    /// such rather than as `O_DSYNC` plus a stray bit.
    static let fileStatusFlags: [(UInt64, String)] = [
        (0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"),
        (0x400, "O_APPEND"), (0x800, "O_NONBLOCK"), (0x10_1000, "O_SYNC"), (0x1000, "O_DSYNC"),
        (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"), (0x8000, "O_LARGEFILE"), (0x41_0000, "O_TMPFILE"),
        (0x1_0000, "O_DIRECTORY"), (0x2_0000, "O_NOFOLLOW"), (0x4_0000, "O_NOATIME"),
        (0x8_0000, "O_CLOEXEC"), (0x20_0000, "O_PATH"),
    ]

    static func mmapProtection(_ value: UInt64) -> String {
        let names = flagNames(value, [
            (0x1, "PROT_READ"), (0x2, "PROT_WRITE"), (0x4, "PROT_EXEC"), (0x8, "PROT_SEM"),
            (0x100_0000, "PROT_GROWSDOWN"), (0x200_0000, "PROT_GROWSUP"),
        ])
        return names.isEmpty ? "PROT_NONE" : names.joined(separator: "|")
    }

    /// The mapping type in the low four bits, then the flags.
    static func mmapFlags(_ value: UInt64) -> String {
        let type = value & 0xf
        let typeNames: [UInt64: String] = [1: "MAP_SHARED", 2: "MAP_PRIVATE", 3: "MAP_SHARED_VALIDATE"]
        let typePart = type == 0 ? [] : [typeNames[type] ?? hex(type)]
        return joined(typePart + flagNames(value & ~0xf, [
            (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x40, "MAP_32BIT"), (0x100, "MAP_GROWSDOWN"),
            (0x800, "MAP_DENYWRITE"), (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"),
            (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x1_0000, "MAP_NONBLOCK"),
            (0x2_0000, "MAP_STACK"), (0x4_0000, "MAP_HUGETLB"), (0x8_0000, "MAP_SYNC"),
            (0x10_0000, "MAP_FIXED_NOREPLACE"),
        ]))
    }

    static func accessMode(_ value: UInt64) -> String {
        let mode = UInt64(UInt32(truncatingIfNeeded: value))
        let names = flagNames(mode, [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")])
        return names.isEmpty ? "F_OK" : names.joined(separator: "|")
    }

    static func atFlags(_ value: UInt64) -> String {
        joined(flagNames(UInt64(UInt32(truncatingIfNeeded: value)), [
            (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"),
            (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"), (0x2000, "AT_STATX_FORCE_SYNC"),
            (0x4000, "AT_STATX_DONT_SYNC"), (0x8000, "AT_RECURSIVE"),
        ]))
    }

    /// Signals by their x86-64 numbers; real-time signals as `SIGRT_n`, counted from the
    /// kernel's first one (32), not from glibc's `SIGRTMIN` (34), which reserves two.
    static func signal(_ number: Int) -> String {
        if signalNames.indices.contains(number), number > 0 {
            return signalNames[number]
        }
        return (32...64).contains(number) ? "SIGRT_\(number - 32)" : String(number)
    }

    static let signalNames = [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ]

    static func whence(_ value: UInt64) -> String {
        named(Int32(truncatingIfNeeded: value), [
            "SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE",
        ])
    }

    /// The fixed clocks; negative ids name per-process or per-thread CPU clocks and show as
    /// numbers.
    static func clockID(_ value: UInt64) -> String {
        named(Int32(truncatingIfNeeded: value), [
            "CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
            "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
            "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "", "CLOCK_TAI",
        ])
    }

    static func sigprocmaskHow(_ value: UInt64) -> String {
        named(Int32(truncatingIfNeeded: value), ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"])
    }

    static func socketFamily(_ value: UInt64) -> String {
        let families: [Int32: String] = [
            0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK",
            9: "AF_X25", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET", 29: "AF_CAN",
            31: "AF_BLUETOOTH", 38: "AF_ALG", 40: "AF_VSOCK", 44: "AF_XDP",
        ]
        let family = Int32(truncatingIfNeeded: value)
        return families[family] ?? String(family)
    }

    static func madviseAdvice(_ value: UInt64) -> String {
        let advice: [Int32: String] = [
            0: "MADV_NORMAL", 1: "MADV_RANDOM", 2: "MADV_SEQUENTIAL", 3: "MADV_WILLNEED",
            4: "MADV_DONTNEED", 8: "MADV_FREE", 9: "MADV_REMOVE", 10: "MADV_DONTFORK", 11: "MADV_DOFORK",
            12: "MADV_MERGEABLE", 13: "MADV_UNMERGEABLE", 14: "MADV_HUGEPAGE", 15: "MADV_NOHUGEPAGE",
            16: "MADV_DONTDUMP", 17: "MADV_DODUMP", 18: "MADV_WIPEONFORK", 19: "MADV_KEEPONFORK",
            20: "MADV_COLD", 21: "MADV_PAGEOUT", 22: "MADV_POPULATE_READ", 23: "MADV_POPULATE_WRITE",
            24: "MADV_DONTNEED_LOCKED", 25: "MADV_COLLAPSE", 100: "MADV_HWPOISON", 101: "MADV_SOFT_OFFLINE",
            102: "MADV_GUARD_INSTALL", 103: "MADV_GUARD_REMOVE",
        ]
        let value = Int32(truncatingIfNeeded: value)
        return advice[value] ?? String(value)
    }

    /// A futex operation: the command, `_PRIVATE` when it is process-private, and
    /// `|FUTEX_CLOCK_REALTIME` when its timeout is on the real-time clock.
    static func futexOperation(_ value: UInt64) -> String {
        guard let command = RuntimeSyscalls.futexCommand(value) else { return hex(value) }
        let bits = UInt32(truncatingIfNeeded: value)
        let privateSuffix = bits & RuntimeSyscalls.futexPrivateFlag != 0 ? "_PRIVATE" : ""
        let clockSuffix = bits & RuntimeSyscalls.futexClockRealtime != 0 ? "|FUTEX_CLOCK_REALTIME" : ""
        return command.name + privateSuffix + clockSuffix
    }

    static func ioctlRequest(_ value: UInt64) -> String {
        ControlSyscalls.ioctlRequests.entry(for: value)?.name ?? hex32(value)
    }

    static func fcntlCommand(_ value: UInt64) -> String {
        ControlSyscalls.fcntlCommands.entry(for: value)?.name ?? String(Int32(truncatingIfNeeded: value))
    }

    static func prctlOption(_ value: UInt64) -> String {
        RuntimeSyscalls.prctlOptions.entry(for: value)?.name ?? String(Int32(truncatingIfNeeded: value))
    }

    static func archPrctlCode(_ value: UInt64) -> String {
        RuntimeSyscalls.archPrctlCodes.entry(for: value)?.name ?? hex32(value)
    }

    /// `0x` and lowercase hex digits, or plain `0`.
    static func hex(_ value: UInt64) -> String {
        value == 0 ? "0" : "0x" + String(value, radix: 16)
    }

    /// The low 32 bits in hex, for arguments the kernel reads as an int.
    static func hex32(_ value: UInt64) -> String {
        hex(UInt64(UInt32(truncatingIfNeeded: value)))
    }

    /// The names of the flags set in `value`, in table order, then any unnamed bits in hex.
    static func flagNames(_ value: UInt64, _ table: [(UInt64, String)]) -> [String] {
        var remaining = value
        var names: [String] = []
        for (bits, name) in table where remaining & bits == bits {
            names.append(name)
            remaining &= ~bits
        }
        return remaining == 0 ? names : names + [hex(remaining)]
    }

    /// Flag names joined with `|`, or `0` when there are none.
    static func joined(_ names: [String]) -> String {
        names.isEmpty ? "0" : names.joined(separator: "|")
    }

    /// The name at index `value` of a dense table, or the number if it has none.
    static func named(_ value: Int32, _ names: [String]) -> String {
        let index = Int(value)
        return names.indices.contains(index) && !names[index].isEmpty ? names[index] : String(value)
    }
}
