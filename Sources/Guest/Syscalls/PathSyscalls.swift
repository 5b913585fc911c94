/// Calls that name files by path: opening, inspecting, and changing the file system tree.
///
/// Replay emulates all of them. It never touches the recording machine's files: an `openat`
/// returns the recorded descriptor number, a `stat` writes the recorded struct, and a `mkdir`
/// simply reports what happened at record time.
enum PathSyscalls {
    static let descriptors: [SyscallDescriptor] =
        opening + inspecting + navigating + changing + extendedAttributes

    static let opening: [SyscallDescriptor] = [
        SyscallDescriptor(2, "open", [.string, .openFlags, .octalMode]),
        SyscallDescriptor(257, "openat", [.dirfd, .string, .openFlags, .octalMode]),
        // openat2 reads its `struct open_how` and writes nothing.
        SyscallDescriptor(437, "openat2", [.dirfd, .string, .pointer, .unsigned]),
        SyscallDescriptor(85, "creat", [.string, .octalMode]),
        SyscallDescriptor(319, "memfd_create", [.string, .hex]),
    ]

    /// Calls that describe a file into a caller's struct of fixed size, or return its text.
    static let inspecting: [SyscallDescriptor] = [
        SyscallDescriptor(4, "stat", [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(5, "fstat", [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(6, "lstat", [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(262, "newfstatat", [.dirfd, .string, .pointer, .atFlags]) {
            $0.range(atArgument: 2, length: KernelStructSize.stat)
        },
        SyscallDescriptor(332, "statx", [.dirfd, .string, .atFlags, .hex, .pointer]) {
            $0.range(atArgument: 4, length: KernelStructSize.statx)
        },
        SyscallDescriptor(137, "statfs", [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.statfs)
        },
        SyscallDescriptor(138, "fstatfs", [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.statfs)
        },
        // readlink does not NUL-terminate: it writes exactly the bytes it returns.
        SyscallDescriptor(89, "readlink", [.string, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(267, "readlinkat", [.dirfd, .string, .pointer, .unsigned]) {
            $0.resultBytes(atArgument: 2)
        },
        SyscallDescriptor(21, "access", [.string, .accessMode]),
        SyscallDescriptor(269, "faccessat", [.dirfd, .string, .accessMode]),
        // 0x200 is AT_EACCESS here but AT_REMOVEDIR elsewhere, so these flags show as hex.
        SyscallDescriptor(439, "faccessat2", [.dirfd, .string, .accessMode, .hex]),
    ]

    static let navigating: [SyscallDescriptor] = [
        // The raw call returns the length it wrote, including the terminating NUL.
        SyscallDescriptor(79, "getcwd", [.pointer, .unsigned]) { $0.resultBytes(atArgument: 0) },
        SyscallDescriptor(80, "chdir", [.string]),
        SyscallDescriptor(81, "fchdir", [.fd]),
        SyscallDescriptor(161, "chroot", [.string]),
        // umask returns the previous mask and cannot fail.
        SyscallDescriptor(95, "umask", [.octalMode]),
    ]

    /// Calls that change the tree or a file's metadata, reporting only success or failure.
    static let changing: [SyscallDescriptor] = [
        SyscallDescriptor(83, "mkdir", [.string, .octalMode]),
        SyscallDescriptor(258, "mkdirat", [.dirfd, .string, .octalMode]),
        SyscallDescriptor(133, "mknod", [.string, .octalMode, .hex]),
        SyscallDescriptor(259, "mknodat", [.dirfd, .string, .octalMode, .hex]),
        SyscallDescriptor(84, "rmdir", [.string]),
        SyscallDescriptor(87, "unlink", [.string]),
        SyscallDescriptor(263, "unlinkat", [.dirfd, .string, .atFlags]),
        SyscallDescriptor(82, "rename", [.string, .string]),
        SyscallDescriptor(264, "renameat", [.dirfd, .string, .dirfd, .string]),
        SyscallDescriptor(316, "renameat2", [.dirfd, .string, .dirfd, .string, .hex]),
        SyscallDescriptor(86, "link", [.string, .string]),
        SyscallDescriptor(265, "linkat", [.dirfd, .string, .dirfd, .string, .atFlags]),
        SyscallDescriptor(88, "symlink", [.string, .string]),
        SyscallDescriptor(266, "symlinkat", [.string, .dirfd, .string]),
        SyscallDescriptor(90, "chmod", [.string, .octalMode]),
        SyscallDescriptor(91, "fchmod", [.fd, .octalMode]),
        SyscallDescriptor(268, "fchmodat", [.dirfd, .string, .octalMode]),
        SyscallDescriptor(452, "fchmodat2", [.dirfd, .string, .octalMode, .atFlags]),
        SyscallDescriptor(92, "chown", [.string, .signed, .signed]),
        SyscallDescriptor(93, "fchown", [.fd, .signed, .signed]),
        SyscallDescriptor(94, "lchown", [.string, .signed, .signed]),
        SyscallDescriptor(260, "fchownat", [.dirfd, .string, .signed, .signed, .atFlags]),
        // The time arguments are read, never written.
        SyscallDescriptor(280, "utimensat", [.dirfd, .string, .pointer, .atFlags]),
        SyscallDescriptor(132, "utime", [.string, .pointer]),
        SyscallDescriptor(235, "utimes", [.string, .pointer]),
        SyscallDescriptor(261, "futimesat", [.dirfd, .string, .pointer]),
    ]

    /// Extended attributes. The get and list calls write as many bytes as they return, except
    /// that a zero buffer size asks only for the size needed and writes nothing.
    static let extendedAttributes: [SyscallDescriptor] = [
        SyscallDescriptor(191, "getxattr", [.string, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(192, "lgetxattr", [.string, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(193, "fgetxattr", [.fd, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(194, "listxattr", [.string, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(195, "llistxattr", [.string, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(196, "flistxattr", [.fd, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(188, "setxattr", [.string, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(189, "lsetxattr", [.string, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(190, "fsetxattr", [.fd, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(197, "removexattr", [.string, .string]),
        SyscallDescriptor(198, "lremovexattr", [.string, .string]),
        SyscallDescriptor(199, "fremovexattr", [.fd, .string]),
    ]

    /// `getxattr(path, name, value, size)`: the result's bytes at `value` when `size` > 0.
    static let valueBytes: SyscallOutputRule = { context in
        context.argument(3) > 0 ? context.resultBytes(atArgument: 2) : []
    }

    /// `listxattr(path, list, size)`: the result's bytes at `list` when `size` > 0.
    static let listBytes: SyscallOutputRule = { context in
        context.argument(2) > 0 ? context.resultBytes(atArgument: 1) : []
    }
}
