/// Waiting for descriptors to become ready, and the descriptors that exist to be waited on.
///
/// Readiness depends on the outside world, so it is all emulated: replay writes back the
/// recorded `revents`, fd sets and event arrays, and the remaining timeouts the kernel stores.
enum EventSyscalls {
    static let descriptors: [SyscallDescriptor] = polling + epoll + notifiers

    static let polling: [SyscallDescriptor] = [
        // The kernel stores `revents` into every entry, so the whole array is output.
        SyscallDescriptor(.poll, [.pointer, .unsigned, .signed], blocks: .always) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)) * KernelStructSize.pollfd)
        },
        SyscallDescriptor(
            .ppoll, [.pointer, .unsigned, .pointer, .pointer, .unsigned], blocks: .always,
            waitSignalMask: .arguments(address: 3, size: 4)
        ) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)) * KernelStructSize.pollfd)
                + $0.range(atArgument: 2, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(.select, [.signed, .pointer, .pointer, .pointer, .pointer], blocks: .always) {
            fdSets($0) + $0.range(atArgument: 4, length: KernelStructSize.timeval)
        },
        // The sixth argument points at a (sigset pointer, size) pair the kernel only reads.
        SyscallDescriptor(
            .pselect6, [.signed, .pointer, .pointer, .pointer, .pointer, .pointer], blocks: .always,
            waitSignalMask: .pair(atArgument: 5)
        ) {
            fdSets($0) + $0.range(atArgument: 4, length: KernelStructSize.timespec)
        },
    ]

    /// The wait calls fill one packed 12-byte `epoll_event` per ready descriptor they return.
    static let epoll: [SyscallDescriptor] = [
        SyscallDescriptor(.epoll_create, [.signed], fileDescriptors: .opens(.epoll)),
        SyscallDescriptor(.epoll_create1, [.statusFlags], fileDescriptors: .opens(.epoll)),
        SyscallDescriptor(.epoll_ctl, [.fd, .signed, .fd, .pointer]),
        SyscallDescriptor(.epoll_wait, [.fd, .pointer, .signed, .signed], blocks: .always, writes: readyEvents),
        SyscallDescriptor(
            .epoll_pwait, [.fd, .pointer, .signed, .signed, .pointer, .unsigned], blocks: .always,
            waitSignalMask: .arguments(address: 4, size: 5), writes: readyEvents
        ),
        SyscallDescriptor(
            .epoll_pwait2, [.fd, .pointer, .signed, .pointer, .pointer, .unsigned], blocks: .always,
            waitSignalMask: .arguments(address: 4, size: 5), writes: readyEvents
        ),
    ]

    static let notifiers: [SyscallDescriptor] = [
        SyscallDescriptor(.eventfd, [.unsigned], fileDescriptors: .opens(.eventfd)),
        SyscallDescriptor(.eventfd2, [.unsigned, .statusFlags], fileDescriptors: .opens(.eventfd)),
        SyscallDescriptor(.inotify_init, [], fileDescriptors: .opens(.inotify)),
        SyscallDescriptor(.inotify_init1, [.statusFlags], fileDescriptors: .opens(.inotify)),
        SyscallDescriptor(.inotify_add_watch, [.fd, .string, .hex]),
        SyscallDescriptor(.inotify_rm_watch, [.fd, .signed]),
    ]

    static let readyEvents: SyscallOutputRule = { context in
        context.range(atArgument: 1, length: context.resultCount * KernelStructSize.epollEvent)
    }

    /// select's three fd sets in arguments 1...3. The kernel rewrites each one given, but only
    /// the 64-bit words that cover the first `nfds` descriptors. (It may cover fewer, when
    /// `nfds` exceeds the process's descriptor table; the extra bytes recorded are then
    /// unchanged caller memory, and writing them back in replay changes nothing.)
    static func fdSets(_ context: SyscallOutputContext) -> [MemoryRange] {
        let descriptorCount = Int(Int32(truncatingIfNeeded: context.argument(0)))
        let setBytes = (max(descriptorCount, 0) + 63) / 64 * 8
        return (1...3).flatMap { context.range(atArgument: $0, length: setBytes) }
    }
}
