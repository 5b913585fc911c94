/// Sockets: creating and connecting them, moving data and addresses, and options.
///
/// Emulated like files: replay returns the recorded data and addresses without a network.
enum SocketSyscalls {
    static let descriptors: [SyscallDescriptor] = setup + transfers + options

    static let setup: [SyscallDescriptor] = [
        SyscallDescriptor(41, "socket", [.socketFamily, .hex, .signed]),
        // The two new descriptors, as an int[2].
        SyscallDescriptor(53, "socketpair", [.socketFamily, .hex, .signed, .pointer]) {
            $0.range(atArgument: 3, length: 2 * KernelStructSize.int)
        },
        SyscallDescriptor(42, "connect", [.fd, .pointer, .unsigned]),
        SyscallDescriptor(49, "bind", [.fd, .pointer, .unsigned]),
        SyscallDescriptor(50, "listen", [.fd, .signed]),
        SyscallDescriptor(43, "accept", [.fd, .pointer, .pointer], writes: addressAndLength),
        SyscallDescriptor(288, "accept4", [.fd, .pointer, .pointer, .hex], writes: addressAndLength),
        SyscallDescriptor(51, "getsockname", [.fd, .pointer, .pointer], writes: addressAndLength),
        SyscallDescriptor(52, "getpeername", [.fd, .pointer, .pointer], writes: addressAndLength),
        SyscallDescriptor(48, "shutdown", [.fd, .signed]),
    ]

    static let transfers: [SyscallDescriptor] = [
        SyscallDescriptor(44, "sendto", [.fd, .pointer, .unsigned, .hex, .pointer, .unsigned]),
        // With MSG_TRUNC a datagram socket returns the datagram's full length, which may be
        // more than the buffer holds: only the buffer's share was written.
        SyscallDescriptor(45, "recvfrom", [.fd, .pointer, .unsigned, .hex, .pointer, .pointer]) { context in
            let received = min(context.resultCount, Int(clamping: context.argument(2)))
            let address = try context.socketAddress(atArgument: 4, lengthPointerArgument: 5)
            return context.range(atArgument: 1, length: received) + address
        },
        SyscallDescriptor(46, "sendmsg", [.fd, .pointer, .hex]),
        SyscallDescriptor(47, "recvmsg", [.fd, .pointer, .hex]) { context in
            try context.receivedMessage(at: context.argument(1), byteCount: context.resultCount)
        },
        // sendmmsg stores each sent message's length in its entry's `msg_len`; the result
        // is the number of entries sent.
        SyscallDescriptor(307, "sendmmsg", [.fd, .pointer, .unsigned, .hex]) {
            $0.range(atArgument: 1, length: $0.resultCount * KernelStructSize.mmsghdr)
        },
        SyscallDescriptor(
            299, "recvmmsg", [.fd, .pointer, .unsigned, .hex, .pointer], writes: receivedMessages
        ),
    ]

    static let options: [SyscallDescriptor] = [
        SyscallDescriptor(54, "setsockopt", [.fd, .signed, .signed, .pointer, .unsigned]),
        // After the call `*optlen` holds the number of bytes the kernel stored at `optval`.
        SyscallDescriptor(55, "getsockopt", [.fd, .signed, .signed, .pointer, .pointer]) { context in
            let lengthPointer = context.argument(4)
            guard lengthPointer != 0 else { return [] }
            let length = Int(try context.readUInt32(at: lengthPointer))
            return context.range(atArgument: 3, length: length)
                + context.range(at: lengthPointer, length: KernelStructSize.int)
        },
    ]

    /// `accept(fd, addr, addrlen)` and the calls shaped like it.
    static let addressAndLength: SyscallOutputRule = { context in
        try context.socketAddress(atArgument: 1, lengthPointerArgument: 2)
    }

    /// `recvmmsg(fd, msgvec, vlen, flags, timeout)`: the filled entries of the message vector,
    /// and the remaining timeout, which the kernel stores back.
    static let receivedMessages: SyscallOutputRule = { context in
        let filled = min(context.resultCount, Int(clamping: context.argument(2)))
        let messages = try context.receivedMessages(inVectorAt: context.argument(1), count: filled)
        return messages + context.range(atArgument: 4, length: KernelStructSize.timespec)
    }
}
