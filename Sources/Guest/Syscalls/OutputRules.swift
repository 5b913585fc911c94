/// The building blocks of the table's output rules: the sizes of the x86-64 kernel structures
/// that calls fill in, and helpers that turn a finished call's arguments and result into the
/// guest memory ranges the kernel wrote.
///
/// Rules see memory only after the call. That is enough for every call in the table: the
/// length of what the kernel wrote is always the result, a fixed struct size, a size argument,
/// or a length the kernel itself stored back into guest memory.

/// The rule type of `SyscallDescriptor.outputs`.
typealias SyscallOutputRule = @Sendable (SyscallOutputContext) throws -> [MemoryRange]

/// Sizes, in bytes, of the structures the x86-64 kernel copies out to user space.
enum KernelStructSize {
    static let int = 4
    static let long = 8
    static let stat = 144
    static let statx = 256
    static let statfs = 120
    static let timespec = 16
    static let timeval = 16
    static let timezone = 8
    static let itimerval = 32
    static let itimerspec = 32
    static let tms = 32
    static let rusage = 144
    static let utsname = 390
    static let sysinfo = 112
    static let rlimit = 16
    /// The kernel's own `struct sigaction`: handler, flags, restorer and an 8-byte mask. The
    /// kernel rejects any `sigsetsize` other than 8, so this is the only size it writes.
    static let sigaction = 32
    static let stackT = 24
    static let siginfo = 128
    /// `struct epoll_event` is packed on x86-64: a 4-byte mask then 8 bytes of data.
    static let epollEvent = 12
    static let pollfd = 8
    static let iovec = 16
    static let msghdr = 56
    /// `struct mmsghdr`: a `msghdr`, the 4-byte `msg_len`, and 4 bytes of padding.
    static let mmsghdr = 64
    static let flock = 32
    static let termios = 36
    static let winsize = 8
    /// `struct sockaddr_storage`, the largest address any socket family returns.
    static let sockaddrStorage = 128
    static let page = 4096
    /// `UIO_MAXIOV`: the kernel refuses longer iovec arrays, so a successful call never
    /// used more entries than this.
    static let maxIovecs = 1024
}

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

/// A call that multiplexes operations through a number (an ioctl request, an fcntl command):
/// one operation's name, and how many bytes the kernel writes at the call's pointer argument.
struct SyscallSubcommand: Sendable {
    let name: String
    let writtenBytes: Int

    init(_ name: String, writes writtenBytes: Int = 0) {
        self.name = name
        self.writtenBytes = writtenBytes
    }
}

/// A family of subcommands: the rule for its call looks the selector argument up, and throws
/// `UnknownSyscallVariant` for one it doesn't know, since its memory effects are then unknown.
struct SyscallSubcommandTable: Sendable {
    /// How the family's selector is called in messages, for example "ioctl request".
    let kind: String
    /// The argument holding the selector; the kernel reads it as a 32-bit value.
    let selectorArgument: Int
    /// The argument holding the pointer the kernel writes through.
    let pointerArgument: Int
    let entries: [UInt32: SyscallSubcommand]

    /// The subcommand named by a raw argument value.
    func entry(for value: UInt64) -> SyscallSubcommand? {
        entries[UInt32(truncatingIfNeeded: value)]
    }

    var outputs: SyscallOutputRule {
        let table = self
        return { context in
            let selector = context.argument(table.selectorArgument)
            guard let entry = table.entry(for: selector) else {
                let hex = String(UInt32(truncatingIfNeeded: selector), radix: 16)
                throw UnknownSyscallVariant(
                    "\(table.kind) 0x\(hex) is not in rrdbg's syscall table, "
                        + "so the memory it writes is unknown"
                )
            }
            return context.range(atArgument: table.pointerArgument, length: entry.writtenBytes)
        }
    }
}

extension SyscallDescriptor {
    /// A compact form for the table files: number, name, argument formats, replay action, and
    /// an output rule that defaults to "writes nothing".
    init(
        _ number: Int, _ name: String, _ arguments: [ArgumentFormat], _ replay: ReplayAction = .emulate,
        writes outputs: @escaping SyscallOutputRule = { _ in [] }
    ) {
        self.init(number: number, name: name, arguments: arguments, replay: replay, outputs: outputs)
    }
}
