/// Calls that move data through open file descriptors or manage the descriptors themselves.
///
/// Everything here is emulated in replay: the data a read returned comes from the trace, so
/// replay never needs the files, pipes or sockets the recording used.
enum FileIOSyscalls {
    static let descriptors: [SyscallDescriptor] = transfers + positioning + descriptorManagement

    /// Reads fill a buffer with as many bytes as they return; writes change no guest memory.
    static let transfers: [SyscallDescriptor] = [
        SyscallDescriptor(0, "read", [.fd, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(1, "write", [.fd, .pointer, .unsigned]),
        SyscallDescriptor(17, "pread64", [.fd, .pointer, .unsigned, .offset]) {
            $0.resultBytes(atArgument: 1)
        },
        SyscallDescriptor(18, "pwrite64", [.fd, .pointer, .unsigned, .offset]),
        SyscallDescriptor(19, "readv", [.fd, .pointer, .unsigned], writes: scatterOverIovecs),
        SyscallDescriptor(20, "writev", [.fd, .pointer, .unsigned]),
        // On x86-64 the offset is all in pos_l; the kernel shifts pos_h out entirely, so the
        // shorter forms show only the low half.
        SyscallDescriptor(295, "preadv", [.fd, .pointer, .unsigned, .offset], writes: scatterOverIovecs),
        SyscallDescriptor(296, "pwritev", [.fd, .pointer, .unsigned, .offset]),
        SyscallDescriptor(
            327, "preadv2", [.fd, .pointer, .unsigned, .offset, .hex, .hex], writes: scatterOverIovecs
        ),
        SyscallDescriptor(328, "pwritev2", [.fd, .pointer, .unsigned, .offset, .hex, .hex]),
        // The in-kernel copies store the advanced file offsets back through their pointers.
        SyscallDescriptor(40, "sendfile", [.fd, .fd, .pointer, .unsigned]) {
            $0.range(atArgument: 2, length: KernelStructSize.long)
        },
        SyscallDescriptor(326, "copy_file_range", [.fd, .pointer, .fd, .pointer, .unsigned, .hex]) {
            $0.range(atArgument: 1, length: KernelStructSize.long)
                + $0.range(atArgument: 3, length: KernelStructSize.long)
        },
        SyscallDescriptor(275, "splice", [.fd, .pointer, .fd, .pointer, .unsigned, .hex]) {
            $0.range(atArgument: 1, length: KernelStructSize.long)
                + $0.range(atArgument: 3, length: KernelStructSize.long)
        },
        SyscallDescriptor(276, "tee", [.fd, .fd, .unsigned, .hex]),
        // A directory read fills the buffer with as many bytes of records as it returns.
        SyscallDescriptor(78, "getdents", [.fd, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(217, "getdents64", [.fd, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
    ]

    /// Offsets, sizes, hints and flushing: results only, no memory.
    static let positioning: [SyscallDescriptor] = [
        SyscallDescriptor(8, "lseek", [.fd, .offset, .whence]),
        SyscallDescriptor(221, "fadvise64", [.fd, .offset, .unsigned, .signed]),
        SyscallDescriptor(285, "fallocate", [.fd, .hex, .offset, .offset]),
        SyscallDescriptor(187, "readahead", [.fd, .offset, .unsigned]),
        SyscallDescriptor(76, "truncate", [.string, .offset]),
        SyscallDescriptor(77, "ftruncate", [.fd, .offset]),
        SyscallDescriptor(74, "fsync", [.fd]),
        SyscallDescriptor(75, "fdatasync", [.fd]),
        SyscallDescriptor(162, "sync", []),
        SyscallDescriptor(306, "syncfs", [.fd]),
        SyscallDescriptor(277, "sync_file_range", [.fd, .offset, .offset, .hex]),
        SyscallDescriptor(73, "flock", [.fd, .hex]),
    ]

    /// Creating, copying and closing descriptors. Replay emulates them too: descriptor numbers
    /// are results like any other, and no replayed call ever uses a real descriptor.
    static let descriptorManagement: [SyscallDescriptor] = [
        SyscallDescriptor(3, "close", [.fd]),
        SyscallDescriptor(436, "close_range", [.fd, .unsigned, .hex]),
        SyscallDescriptor(32, "dup", [.fd]),
        SyscallDescriptor(33, "dup2", [.fd, .fd]),
        SyscallDescriptor(292, "dup3", [.fd, .fd, .statusFlags]),
        // Both calls store the two new descriptors as an int[2].
        SyscallDescriptor(22, "pipe", [.pointer]) {
            $0.range(atArgument: 0, length: 2 * KernelStructSize.int)
        },
        SyscallDescriptor(293, "pipe2", [.pointer, .statusFlags]) {
            $0.range(atArgument: 0, length: 2 * KernelStructSize.int)
        },
    ]

    /// `readv` and friends: the result's bytes spread over the iovec array in argument 1,
    /// whose length is argument 2.
    static let scatterOverIovecs: SyscallOutputRule = { context in
        try context.scatter(
            context.resultCount, overIovecsAt: context.argument(1), count: context.argument(2)
        )
    }
}
