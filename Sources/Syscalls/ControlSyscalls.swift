/// `fcntl` and `ioctl`: calls whose memory effects depend on a command number.
///
/// Each command the table knows says how many bytes the kernel writes at the call's third
/// argument. A command it doesn't know makes the output rule throw `UnknownSyscallVariant`:
/// recording its result without the memory it may have written would make replay silently
/// wrong, and a clear refusal is better than that.
enum ControlSyscalls {
    static let descriptors: [SyscallDescriptor] = [
        SyscallDescriptor(
            .fcntl, [.fd, .fcntlCommand, .hex], blocks: .only(fcntlCommands.variants(where: \.waits)),
            fileDescriptors: .duplicates(
                to: .result, onlyIn: fcntlCommands.variants(where: \.duplicatesDescriptor)
            ),
            writes: fcntlCommands.outputs
        ),
        SyscallDescriptor(.ioctl, [.fd, .ioctlRequest, .hex], writes: ioctlRequests.outputs),
    ]

    /// `fcntl(fd, command, argument)`. Most commands take and return plain integers; the lock
    /// queries fill in the caller's `struct flock`.
    static let fcntlCommands = SyscallSubcommandTable(
        kind: "fcntl command", selectorArgument: 1, pointerArgument: 2,
        entries: [
            0: SyscallSubcommand("F_DUPFD", duplicatesDescriptor: true),
            1: SyscallSubcommand("F_GETFD"),
            2: SyscallSubcommand("F_SETFD"),
            3: SyscallSubcommand("F_GETFL"),
            4: SyscallSubcommand("F_SETFL"),
            5: SyscallSubcommand("F_GETLK", writes: KernelStructSize.flock),
            6: SyscallSubcommand("F_SETLK"),
            7: SyscallSubcommand("F_SETLKW", waits: true),
            8: SyscallSubcommand("F_SETOWN"),
            9: SyscallSubcommand("F_GETOWN"),
            10: SyscallSubcommand("F_SETSIG"),
            11: SyscallSubcommand("F_GETSIG"),
            15: SyscallSubcommand("F_SETOWN_EX"),
            // struct f_owner_ex: an int type and a pid.
            16: SyscallSubcommand("F_GETOWN_EX", writes: 2 * KernelStructSize.int),
            36: SyscallSubcommand("F_OFD_GETLK", writes: KernelStructSize.flock),
            37: SyscallSubcommand("F_OFD_SETLK"),
            38: SyscallSubcommand("F_OFD_SETLKW", waits: true),
            1024: SyscallSubcommand("F_SETLEASE"),
            1025: SyscallSubcommand("F_GETLEASE"),
            1026: SyscallSubcommand("F_NOTIFY"),
            1030: SyscallSubcommand("F_DUPFD_CLOEXEC", duplicatesDescriptor: true),
            1031: SyscallSubcommand("F_SETPIPE_SZ"),
            1032: SyscallSubcommand("F_GETPIPE_SZ"),
            1033: SyscallSubcommand("F_ADD_SEALS"),
            1034: SyscallSubcommand("F_GET_SEALS"),
        ]
    )

    /// `ioctl(fd, request, argument)` for the terminal and descriptor requests that C
    /// libraries and language runtimes make on their own (isatty, window size, non-blocking
    /// mode). Device-specific requests are deliberately absent.
    static let ioctlRequests = SyscallSubcommandTable(
        kind: "ioctl request", selectorArgument: 1, pointerArgument: 2,
        entries: [
            // The kernel's struct termios (not glibc's larger one): 36 bytes.
            0x5401: SyscallSubcommand("TCGETS", writes: KernelStructSize.termios),
            0x5402: SyscallSubcommand("TCSETS"),
            0x5403: SyscallSubcommand("TCSETSW"),
            0x5404: SyscallSubcommand("TCSETSF"),
            0x540B: SyscallSubcommand("TCFLSH"),
            0x540F: SyscallSubcommand("TIOCGPGRP", writes: KernelStructSize.int),
            0x5410: SyscallSubcommand("TIOCSPGRP"),
            0x5413: SyscallSubcommand("TIOCGWINSZ", writes: KernelStructSize.winsize),
            0x5414: SyscallSubcommand("TIOCSWINSZ"),
            0x541B: SyscallSubcommand("FIONREAD", writes: KernelStructSize.int),
            0x5421: SyscallSubcommand("FIONBIO"),
            0x5429: SyscallSubcommand("TIOCGSID", writes: KernelStructSize.int),
            0x5450: SyscallSubcommand("FIONCLEX"),
            0x5451: SyscallSubcommand("FIOCLEX"),
        ]
    )
}
