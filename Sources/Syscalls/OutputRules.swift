/// The building blocks of the table's output rules: helpers that turn a finished call's
/// arguments and result into the guest memory ranges the kernel wrote.
///
/// Rules see memory only after the call. That is enough for every call in the table: the
/// length of what the kernel wrote is always the result, a fixed struct size, a size argument,
/// or a length the kernel itself stored back into guest memory.

/// The rule type of `SyscallDescriptor.outputs`.
public typealias SyscallOutputRule = @Sendable (SyscallOutputContext) throws -> [MemoryRange]

/// Thrown when guest memory reads back shorter than asked, so a structure can't be decoded.
struct ShortGuestMemoryRead: Error, CustomStringConvertible {
    let address: UInt64
    let wanted: Int
    let got: Int

    var description: String {
        "read \(got) of \(wanted) bytes of guest memory at 0x\(String(address, radix: 16))"
    }
}

extension SyscallOutputContext {
    /// Argument `index` (0 for rdi ... 5 for r9), or 0 if the caller passed fewer.
    func argument(_ index: Int) -> UInt64 {
        arguments.indices.contains(index) ? arguments[index] : 0
    }

    /// The result as a byte or element count. Rules run only for non-error results, so a
    /// negative value never reaches here in practice; it counts as zero.
    var resultCount: Int { Int(clamping: max(result, 0)) }

    /// `length` bytes at `address`, or nothing when the pointer is null or the length is not
    /// positive: a null pointer always means "no output" to the kernel.
    func range(at address: UInt64, length: Int) -> [MemoryRange] {
        address == 0 || length <= 0 ? [] : [MemoryRange(address: address, length: length)]
    }

    /// `length` bytes at the pointer in argument `index`.
    func range(atArgument index: Int, length: Int) -> [MemoryRange] {
        range(at: argument(index), length: length)
    }

    /// The result's count of bytes at the pointer in argument `index`, as `read` fills.
    func resultBytes(atArgument index: Int) -> [MemoryRange] {
        range(atArgument: index, length: resultCount)
    }

    /// Exactly `count` bytes of guest memory.
    func readBytes(at address: UInt64, count: Int) throws -> [UInt8] {
        let bytes = try memory.read(address, count: count)
        guard bytes.count >= count else {
            throw ShortGuestMemoryRead(address: address, wanted: count, got: bytes.count)
        }
        return bytes
    }

    func readUInt32(at address: UInt64) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try readBytes(at: address, count: 4).littleEndianValue(at: 0, size: 4))
    }

    /// The parts of an iovec array that `byteCount` bytes fill. The kernel fills the buffers in
    /// order, each completely before the next, so a short result leaves later buffers untouched.
    func scatter(_ byteCount: Int, overIovecsAt address: UInt64, count: UInt64) throws -> [MemoryRange] {
        guard byteCount > 0, address != 0, count > 0 else { return [] }
        let entries = Int(min(count, UInt64(KernelStructSize.maxIovecs)))
        let array = try readBytes(at: address, count: entries * KernelStructSize.iovec)
        var remaining = byteCount
        var ranges: [MemoryRange] = []
        for entry in 0..<entries where remaining > 0 {
            let base = array.littleEndianValue(at: entry * KernelStructSize.iovec, size: 8)
            let length = array.littleEndianValue(at: entry * KernelStructSize.iovec + 8, size: 8)
            let filled = min(remaining, Int(clamping: length))
            ranges += range(at: base, length: filled)
            remaining -= filled
        }
        return ranges
    }

    /// A socket address returned through an (address, pointer to length) pair, as `accept`,
    /// `getsockname` and `recvfrom` do.
    ///
    /// The kernel copies min(buffer size, address size) bytes and then stores the full address
    /// size in `*length`. Only the stored value is visible after the call, so the rule records
    /// that many bytes, capped at `sockaddr_storage`. When the caller's buffer was smaller
    /// (a truncated address) the extra bytes are caller memory the kernel did not touch;
    /// replaying them writes back the same values, so the recording stays exact.
    func socketAddress(
        atArgument addressIndex: Int, lengthPointerArgument lengthIndex: Int
    ) throws -> [MemoryRange] {
        let address = argument(addressIndex)
        let lengthPointer = argument(lengthIndex)
        guard address != 0, lengthPointer != 0 else { return [] }
        let length = Int(try readUInt32(at: lengthPointer))
        return range(at: address, length: min(length, KernelStructSize.sockaddrStorage))
            + range(at: lengthPointer, length: KernelStructSize.int)
    }

    /// What `recvmsg` wrote for the `msghdr` at `address` when it received `byteCount` bytes:
    /// the header itself (the kernel stores `msg_namelen`, `msg_controllen` and `msg_flags`
    /// back into it) and everything `messageContents` lists.
    func receivedMessage(at address: UInt64, byteCount: Int) throws -> [MemoryRange] {
        let header = try readBytes(at: address, count: KernelStructSize.msghdr)
        let contents = try messageContents(ofHeader: header, byteCount: byteCount)
        return range(at: address, length: KernelStructSize.msghdr) + contents
    }

    /// What `recvmmsg` wrote for the first `count` entries of the `mmsghdr` vector at
    /// `address`: each whole 64-byte entry (its header fields and `msg_len`, the byte count
    /// of that message) and that message's contents.
    func receivedMessages(inVectorAt address: UInt64, count: Int) throws -> [MemoryRange] {
        var ranges: [MemoryRange] = []
        for index in 0..<count {
            let entry = address &+ UInt64(index * KernelStructSize.mmsghdr)
            let bytes = try readBytes(at: entry, count: KernelStructSize.mmsghdr)
            let received = Int(bytes.littleEndianValue(at: KernelStructSize.msghdr, size: 4))
            ranges += range(at: entry, length: KernelStructSize.mmsghdr)
            ranges += try messageContents(ofHeader: bytes, byteCount: received)
        }
        return ranges
    }

    /// The memory a received message filled, given its `msghdr` as it reads after the call:
    /// the sender's address, the data scattered over the iovecs, and the control messages.
    ///
    /// After the call `msg_namelen` holds the sender address's full size (recorded like
    /// `socketAddress`'s) and `msg_controllen` the number of control bytes written.
    func messageContents(ofHeader header: [UInt8], byteCount: Int) throws -> [MemoryRange] {
        let name = header.littleEndianValue(at: 0, size: 8)
        let nameLength = Int(header.littleEndianValue(at: 8, size: 4))
        let iovecs = header.littleEndianValue(at: 16, size: 8)
        let iovecCount = header.littleEndianValue(at: 24, size: 8)
        let control = header.littleEndianValue(at: 32, size: 8)
        let controlLength = Int(clamping: header.littleEndianValue(at: 40, size: 8))
        let data = try scatter(byteCount, overIovecsAt: iovecs, count: iovecCount)
        return range(at: name, length: min(nameLength, KernelStructSize.sockaddrStorage))
            + data
            + range(at: control, length: controlLength)
    }
}

extension Array where Element == UInt8 {
    /// The little-endian unsigned integer of `size` bytes at `offset`.
    fileprivate func littleEndianValue(at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (offset..<offset + size).reversed() {
            value = value << 8 | UInt64(self[index])
        }
        return value
    }
}
