import Glibc

/// Calls that move data through open file descriptors or manage the descriptors themselves.
///
/// Everything here is emulated in replay: the data a read returned comes from the trace, so
/// replay never needs the files, pipes or sockets the recording used.
enum FileIOSyscalls {
    static let descriptors: [SyscallDescriptor] = transfers + positioning + descriptorManagement

    /// Reads fill a buffer with as many bytes as they return; writes change no guest memory,
    /// and send what their buffers hold.
    static let transfers: [SyscallDescriptor] = [
        SyscallDescriptor(.read, [.fd, .pointer, .unsigned], blocks: .always) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(.write, [.fd, .pointer, .unsigned], outgoingData: buffer),
        SyscallDescriptor(.pread64, [.fd, .pointer, .unsigned, .offset], blocks: .always) {
            $0.resultBytes(atArgument: 1)
        },
        SyscallDescriptor(.pwrite64, [.fd, .pointer, .unsigned, .offset], outgoingData: buffer),
        SyscallDescriptor(.readv, [.fd, .pointer, .unsigned], blocks: .always, writes: scatterOverIovecs),
        SyscallDescriptor(.writev, [.fd, .pointer, .unsigned], outgoingData: iovecs),
        // On x86-64 the offset is all in pos_l; the kernel shifts pos_h out entirely, so the
        // shorter forms show only the low half.
        SyscallDescriptor(
            .preadv, [.fd, .pointer, .unsigned, .offset], blocks: .always, writes: scatterOverIovecs
        ),
        SyscallDescriptor(.pwritev, [.fd, .pointer, .unsigned, .offset], outgoingData: iovecs),
        SyscallDescriptor(
            .preadv2, [.fd, .pointer, .unsigned, .offset, .hex, .hex], writes: scatterOverIovecs
        ),
        SyscallDescriptor(.pwritev2, [.fd, .pointer, .unsigned, .offset, .hex, .hex], outgoingData: iovecs),
        // The in-kernel copies store the advanced file offsets back through their pointers.
        SyscallDescriptor(
            .sendfile, [.fd, .fd, .pointer, .unsigned],
            inKernelCopy: InKernelCopy(destinationArgument: 0, refusalErrno: EINVAL)
        ) {
            $0.range(atArgument: 2, length: KernelStructSize.long)
        },
        SyscallDescriptor(
            .copy_file_range, [.fd, .pointer, .fd, .pointer, .unsigned, .hex],
            inKernelCopy: InKernelCopy(destinationArgument: 2, refusalErrno: ENOSYS)
        ) {
            $0.range(atArgument: 1, length: KernelStructSize.long)
                + $0.range(atArgument: 3, length: KernelStructSize.long)
        },
        SyscallDescriptor(
            .splice, [.fd, .pointer, .fd, .pointer, .unsigned, .hex],
            inKernelCopy: InKernelCopy(destinationArgument: 2, refusalErrno: EINVAL)
        ) {
            $0.range(atArgument: 1, length: KernelStructSize.long)
                + $0.range(atArgument: 3, length: KernelStructSize.long)
        },
        SyscallDescriptor(
            .tee, [.fd, .fd, .unsigned, .hex],
            inKernelCopy: InKernelCopy(destinationArgument: 1, refusalErrno: EINVAL)
        ),
        // A directory read fills the buffer with as many bytes of records as it returns.
        SyscallDescriptor(.getdents, [.fd, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
        SyscallDescriptor(.getdents64, [.fd, .pointer, .unsigned]) { $0.resultBytes(atArgument: 1) },
    ]

    /// Offsets, sizes, hints and flushing: results only, no memory.
    static let positioning: [SyscallDescriptor] = [
        SyscallDescriptor(.lseek, [.fd, .offset, .whence]),
        SyscallDescriptor(.fadvise64, [.fd, .offset, .unsigned, .signed]),
        SyscallDescriptor(.fallocate, [.fd, .hex, .offset, .offset]),
        SyscallDescriptor(.readahead, [.fd, .offset, .unsigned]),
        SyscallDescriptor(.truncate, [.string, .offset]),
        SyscallDescriptor(.ftruncate, [.fd, .offset]),
        SyscallDescriptor(.fsync, [.fd]),
        SyscallDescriptor(.fdatasync, [.fd]),
        SyscallDescriptor(.sync, []),
        SyscallDescriptor(.syncfs, [.fd]),
        SyscallDescriptor(.sync_file_range, [.fd, .offset, .offset, .hex]),
        SyscallDescriptor(.flock, [.fd, .hex], blocks: .always),
    ]

    /// Creating, copying and closing descriptors. Replay emulates them too: descriptor numbers
    /// are results like any other, and no replayed call ever uses a real descriptor.
    static let descriptorManagement: [SyscallDescriptor] = [
        SyscallDescriptor(.close, [.fd], fileDescriptors: .closes),
        SyscallDescriptor(.close_range, [.fd, .unsigned, .hex], fileDescriptors: .closesRange),
        SyscallDescriptor(.dup, [.fd], fileDescriptors: .duplicates(to: .result)),
        SyscallDescriptor(.dup2, [.fd, .fd], fileDescriptors: .duplicates(to: .argument(1))),
        SyscallDescriptor(.dup3, [.fd, .fd, .statusFlags], fileDescriptors: .duplicates(to: .argument(1))),
        // Both calls store the two new descriptors as an int[2].
        SyscallDescriptor(.pipe, [.pointer], fileDescriptors: .opensPair(.pipe, pairArgument: 0)) {
            $0.range(atArgument: 0, length: 2 * KernelStructSize.int)
        },
        SyscallDescriptor(
            .pipe2, [.pointer, .statusFlags], fileDescriptors: .opensPair(.pipe, pairArgument: 0)
        ) {
            $0.range(atArgument: 0, length: 2 * KernelStructSize.int)
        },
    ]

    /// What `write` sends: the buffer in argument 1.
    static let buffer = OutgoingData.buffer(argument: 1)

    /// What `writev` sends: the iovec array in argument 1, whose length is argument 2.
    static let iovecs = OutgoingData.iovecs(argument: 1, countArgument: 2)

    /// `readv` and friends: the result's bytes spread over the iovec array in argument 1,
    /// whose length is argument 2.
    static let scatterOverIovecs: SyscallOutputRule = { context in
        try context.scatter(
            context.resultCount, overIovecsAt: context.argument(1), count: context.argument(2)
        )
    }
}
