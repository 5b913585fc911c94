/// Waiting for descriptors to become ready, and the descriptors that exist to be waited on.
///
/// Readiness depends on the outside world, so it is all emulated: replay writes back the
/// recorded `revents`, fd sets and event arrays, and the remaining timeouts the kernel stores.
enum EventSyscalls {
    static let descriptors: [SyscallDescriptor] = polling + epoll + notifiers

    static let polling: [SyscallDescriptor] = [
        // The kernel stores `revents` into every entry, so the whole array is output.
        SyscallDescriptor(7, "poll", [.pointer, .unsigned, .signed]) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)) * KernelStructSize.pollfd)
        },
        SyscallDescriptor(271, "ppoll", [.pointer, .unsigned, .pointer, .pointer, .unsigned]) {
            $0.range(atArgument: 0, length: Int(clamping: $0.argument(1)) * KernelStructSize.pollfd)
                + $0.range(atArgument: 2, length: KernelStructSize.timespec)
        },
        SyscallDescriptor(23, "select", [.signed, .pointer, .pointer, .pointer, .pointer]) {
            fdSets($0) + $0.range(atArgument: 4, length: KernelStructSize.timeval)
        },
        // The sixth argument points at a (sigset pointer, size) pair the kernel only reads.
        SyscallDescriptor(270, "pselect6", [.signed, .pointer, .pointer, .pointer, .pointer, .pointer]) {
            fdSets($0) + $0.range(atArgument: 4, length: KernelStructSize.timespec)
        },
    ]

    /// The wait calls fill one packed 12-byte `epoll_event` per ready descriptor they return.
    static let epoll: [SyscallDescriptor] = [
        SyscallDescriptor(213, "epoll_create", [.signed]),
        SyscallDescriptor(291, "epoll_create1", [.statusFlags]),
        SyscallDescriptor(233, "epoll_ctl", [.fd, .signed, .fd, .pointer]),
        SyscallDescriptor(232, "epoll_wait", [.fd, .pointer, .signed, .signed], writes: readyEvents),
        SyscallDescriptor(
            281, "epoll_pwait", [.fd, .pointer, .signed, .signed, .pointer, .unsigned], writes: readyEvents
        ),
        SyscallDescriptor(
            441, "epoll_pwait2", [.fd, .pointer, .signed, .pointer, .pointer, .unsigned], writes: readyEvents
        ),
    ]

    static let notifiers: [SyscallDescriptor] = [
        SyscallDescriptor(284, "eventfd", [.unsigned]),
        SyscallDescriptor(290, "eventfd2", [.unsigned, .statusFlags]),
        SyscallDescriptor(253, "inotify_init", []),
        SyscallDescriptor(294, "inotify_init1", [.statusFlags]),
        SyscallDescriptor(254, "inotify_add_watch", [.fd, .string, .hex]),
        SyscallDescriptor(255, "inotify_rm_watch", [.fd, .signed]),
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
