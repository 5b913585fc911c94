/// Sockets: creating and connecting them, moving data and addresses, and options.
///
/// Emulated like files: replay returns the recorded data and addresses without a network.
enum SocketSyscalls {
    static let descriptors: [SyscallDescriptor] = setup + transfers + options

    static let setup: [SyscallDescriptor] = [
        SyscallDescriptor(.socket, [.socketFamily, .hex, .signed], fileDescriptors: .opens(.socket)),
        // The two new descriptors, as an int[2].
        SyscallDescriptor(
            .socketpair, [.socketFamily, .hex, .signed, .pointer], fileDescriptors: .opensPair(.socket, pairArgument: 3)
        ) {
            $0.range(atArgument: 3, length: 2 * KernelStructSize.int)
        },
        SyscallDescriptor(.connect, [.fd, .pointer, .unsigned], blocks: .always),
        SyscallDescriptor(.bind, [.fd, .pointer, .unsigned]),
        SyscallDescriptor(.listen, [.fd, .signed]),
        SyscallDescriptor(
            .accept, [.fd, .pointer, .pointer], blocks: .always, fileDescriptors: .opens(.acceptedSocket),
            writes: addressAndLength
        ),
        SyscallDescriptor(
            .accept4, [.fd, .pointer, .pointer, .hex], blocks: .always, fileDescriptors: .opens(.acceptedSocket),
            writes: addressAndLength
        ),
        SyscallDescriptor(.getsockname, [.fd, .pointer, .pointer], writes: addressAndLength),
        SyscallDescriptor(.getpeername, [.fd, .pointer, .pointer], writes: addressAndLength),
        SyscallDescriptor(.shutdown, [.fd, .signed]),
    ]

    static let transfers: [SyscallDescriptor] = [
        SyscallDescriptor(
            .sendto, [.fd, .pointer, .unsigned, .hex, .pointer, .unsigned], outgoingData: .buffer(argument: 1)
        ),
        // With MSG_TRUNC a datagram socket returns the datagram's full length, which may be
        // more than the buffer holds: only the buffer's share was written.
        SyscallDescriptor(
            .recvfrom, [.fd, .pointer, .unsigned, .hex, .pointer, .pointer], blocks: .always
        ) { context in
            let received = min(context.resultCount, Int(clamping: context.argument(2)))
            let address = try context.socketAddress(atArgument: 4, lengthPointerArgument: 5)
            return context.range(atArgument: 1, length: received) + address
        },
        SyscallDescriptor(.sendmsg, [.fd, .pointer, .hex]),
        SyscallDescriptor(.recvmsg, [.fd, .pointer, .hex], blocks: .always) { context in
            try context.receivedMessage(at: context.argument(1), byteCount: context.resultCount)
        },
        // sendmmsg stores each sent message's length in its entry's `msg_len`; the result
        // is the number of entries sent.
        SyscallDescriptor(.sendmmsg, [.fd, .pointer, .unsigned, .hex]) {
            $0.range(atArgument: 1, length: $0.resultCount * KernelStructSize.mmsghdr)
        },
        SyscallDescriptor(
            .recvmmsg, [.fd, .pointer, .unsigned, .hex, .pointer], blocks: .always, writes: receivedMessages
        ),
    ]

    static let options: [SyscallDescriptor] = [
        SyscallDescriptor(.setsockopt, [.fd, .signed, .signed, .pointer, .unsigned]),
        // After the call `*optlen` holds the number of bytes the kernel stored at `optval`.
        SyscallDescriptor(.getsockopt, [.fd, .signed, .signed, .pointer, .pointer]) { context in
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
