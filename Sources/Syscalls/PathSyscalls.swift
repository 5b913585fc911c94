/// Calls that name files by path: opening, inspecting, and changing the file system tree.
///
/// Replay emulates all of them. It never touches the recording machine's files: an `openat`
/// returns the recorded descriptor number, a `stat` writes the recorded struct, and a `mkdir`
/// simply reports what happened at record time.
enum PathSyscalls {
    static let descriptors: [SyscallDescriptor] =
        opening + inspecting + navigating + changing + extendedAttributes

    static let opening: [SyscallDescriptor] = [
        SyscallDescriptor(
            .open, [.string, .openFlags, .octalMode], fileDescriptors: .opens(.file(pathArgument: 0))
        ),
        SyscallDescriptor(
            .openat, [.dirfd, .string, .openFlags, .octalMode], fileDescriptors: .opens(.file(pathArgument: 1))
        ),
        // openat2 reads its `struct open_how` and writes nothing.
        SyscallDescriptor(
            .openat2, [.dirfd, .string, .pointer, .unsigned], fileDescriptors: .opens(.file(pathArgument: 1))
        ),
        SyscallDescriptor(.creat, [.string, .octalMode], fileDescriptors: .opens(.file(pathArgument: 0))),
        SyscallDescriptor(.memfd_create, [.string, .hex], fileDescriptors: .opens(.memoryFile)),
    ]

    /// Calls that describe a file into a caller's struct of fixed size, or return its text.
    static let inspecting: [SyscallDescriptor] = [
        SyscallDescriptor(.stat, [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(.fstat, [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(.lstat, [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.stat)
        },
        SyscallDescriptor(.newfstatat, [.dirfd, .string, .pointer, .atFlags]) {
            $0.range(atArgument: 2, length: KernelStructSize.stat)
        },
        SyscallDescriptor(.statx, [.dirfd, .string, .atFlags, .hex, .pointer]) {
            $0.range(atArgument: 4, length: KernelStructSize.statx)
        },
        SyscallDescriptor(.statfs, [.string, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.statfs)
        },
        SyscallDescriptor(.fstatfs, [.fd, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.statfs)
        },
        // readlink does not NUL-terminate: it writes exactly the bytes it returns.
        SyscallDescriptor(.readlink, [.string, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(.readlinkat, [.dirfd, .string, .pointer, .unsigned]) {
            $0.resultBytes(atArgument: 2)
        },
        SyscallDescriptor(.access, [.string, .accessMode]),
        SyscallDescriptor(.faccessat, [.dirfd, .string, .accessMode]),
        // 0x200 is AT_EACCESS here but AT_REMOVEDIR elsewhere, so these flags show as hex.
        SyscallDescriptor(.faccessat2, [.dirfd, .string, .accessMode, .hex]),
    ]

    static let navigating: [SyscallDescriptor] = [
        // The raw call returns the length it wrote, including the terminating NUL.
        SyscallDescriptor(.getcwd, [.pointer, .unsigned]) { $0.resultBytes(atArgument: 0) },
        SyscallDescriptor(.chdir, [.string]),
        SyscallDescriptor(.fchdir, [.fd]),
        SyscallDescriptor(.chroot, [.string]),
        // umask returns the previous mask and cannot fail.
        SyscallDescriptor(.umask, [.octalMode]),
    ]

    /// Calls that change the tree or a file's metadata, reporting only success or failure.
    static let changing: [SyscallDescriptor] = [
        SyscallDescriptor(.mkdir, [.string, .octalMode]),
        SyscallDescriptor(.mkdirat, [.dirfd, .string, .octalMode]),
        SyscallDescriptor(.mknod, [.string, .octalMode, .hex]),
        SyscallDescriptor(.mknodat, [.dirfd, .string, .octalMode, .hex]),
        SyscallDescriptor(.rmdir, [.string]),
        SyscallDescriptor(.unlink, [.string]),
        SyscallDescriptor(.unlinkat, [.dirfd, .string, .atFlags]),
        SyscallDescriptor(.rename, [.string, .string]),
        SyscallDescriptor(.renameat, [.dirfd, .string, .dirfd, .string]),
        SyscallDescriptor(.renameat2, [.dirfd, .string, .dirfd, .string, .hex]),
        SyscallDescriptor(.link, [.string, .string]),
        SyscallDescriptor(.linkat, [.dirfd, .string, .dirfd, .string, .atFlags]),
        SyscallDescriptor(.symlink, [.string, .string]),
        SyscallDescriptor(.symlinkat, [.string, .dirfd, .string]),
        SyscallDescriptor(.chmod, [.string, .octalMode]),
        SyscallDescriptor(.fchmod, [.fd, .octalMode]),
        SyscallDescriptor(.fchmodat, [.dirfd, .string, .octalMode]),
        SyscallDescriptor(.fchmodat2, [.dirfd, .string, .octalMode, .atFlags]),
        SyscallDescriptor(.chown, [.string, .signed, .signed]),
        SyscallDescriptor(.fchown, [.fd, .signed, .signed]),
        SyscallDescriptor(.lchown, [.string, .signed, .signed]),
        SyscallDescriptor(.fchownat, [.dirfd, .string, .signed, .signed, .atFlags]),
        // The time arguments are read, never written.
        SyscallDescriptor(.utimensat, [.dirfd, .string, .pointer, .atFlags]),
        SyscallDescriptor(.utime, [.string, .pointer]),
        SyscallDescriptor(.utimes, [.string, .pointer]),
        SyscallDescriptor(.futimesat, [.dirfd, .string, .pointer]),
    ]

    /// Extended attributes. The get and list calls write as many bytes as they return, except
    /// that a zero buffer size asks only for the size needed and writes nothing.
    static let extendedAttributes: [SyscallDescriptor] = [
        SyscallDescriptor(.getxattr, [.string, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(.lgetxattr, [.string, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(.fgetxattr, [.fd, .string, .pointer, .unsigned], writes: valueBytes),
        SyscallDescriptor(.listxattr, [.string, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(.llistxattr, [.string, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(.flistxattr, [.fd, .pointer, .unsigned], writes: listBytes),
        SyscallDescriptor(.setxattr, [.string, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(.lsetxattr, [.string, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(.fsetxattr, [.fd, .string, .pointer, .unsigned, .hex]),
        SyscallDescriptor(.removexattr, [.string, .string]),
        SyscallDescriptor(.lremovexattr, [.string, .string]),
        SyscallDescriptor(.fremovexattr, [.fd, .string]),
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
