/// One unit of input from gdb, as the framing layer sees it.
public enum DecodedInput: Sendable, Equatable {
    /// A complete packet with a valid checksum. The payload is unescaped and run-length
    /// expanded, so binary data (the `X` packet) is already in its final form.
    case packet([UInt8])
    /// A raw 0x03 byte outside any packet: gdb's Ctrl-C.
    case interrupt
    /// '+': gdb received our last packet.
    case ack
    /// '-': gdb wants our last packet again.
    case nack
    /// A packet whose checksum did not match; in acknowledged mode the caller answers '-' so
    /// that gdb retransmits.
    case badChecksum
    /// A packet longer than the decoder's limit. Its bytes were dropped as they arrived; the
    /// caller should acknowledge it and reply with an error rather than ask for it again.
    case oversized
}

/// Turns the byte stream from gdb's socket into `DecodedInput`s.
///
/// Socket reads split and merge packets arbitrarily, so the decoder is an incremental state
/// machine: `feed` whatever arrived, then call `next` until it returns nil. Memory is bounded
/// by the bytes fed and not yet consumed plus `maximumPayload`: a packet that would exceed the
/// limit stops being stored and is reported as `.oversized` once its end arrives. Bytes outside
/// packets that mean nothing (line noise, a stray '#') are skipped, and a '$' always starts a
/// fresh packet, which is how the stream resynchronises after a truncated one.
public struct PacketDecoder: Sendable {
    /// gdb keeps its packets within the `PacketSize` the stub advertises (typically 16 KiB);
    /// 64 KiB leaves room for that with any escaping, without letting a misbehaving peer make
    /// the stub allocate freely.
    public static let defaultMaximumPayload = 64 * 1024

    private enum State: Sendable {
        /// Between packets.
        case idle
        /// Inside `$...`, before '#'.
        case body
        /// After '}' inside a packet: the next byte is XORed with 0x20.
        case escaped
        /// After '*' inside a packet: the next byte is a repeat count plus 29.
        case repeatCount
        /// After '#', waiting for the first checksum digit.
        case checksumHigh
        /// Waiting for the second checksum digit; nil if the first was not hex.
        case checksumLow(UInt8?)
    }

    /// Payloads longer than this, after unescaping, are reported as `.oversized`.
    public let maximumPayload: Int

    private var pending: [UInt8] = []
    private var cursor = 0
    private var state = State.idle
    private var payload: [UInt8] = []
    private var sum: UInt8 = 0
    private var overflowed = false

    public init(maximumPayload: Int = PacketDecoder.defaultMaximumPayload) {
        self.maximumPayload = max(maximumPayload, 1)
    }

    /// Bytes fed but not yet examined, for callers that want to watch memory use.
    public var unconsumedByteCount: Int { pending.count - cursor }

    /// Queues bytes read from the socket.
    public mutating func feed(_ bytes: [UInt8]) {
        if cursor > 0 {
            pending.removeFirst(cursor)
            cursor = 0
        }
        pending.append(contentsOf: bytes)
    }

    /// The next complete input, or nil once everything fed so far is consumed (a partial
    /// packet stays buffered until the rest is fed).
    public mutating func next() -> DecodedInput? {
        defer { compactIfDrained() }
        while cursor < pending.count {
            let byte = pending[cursor]
            cursor += 1
            if let input = consume(byte) {
                return input
            }
        }
        return nil
    }

    /// Releases a buffer that has been read to the end, keeping small capacity for reuse so
    /// that the common case (feed a read, drain it) does not allocate every time.
    private mutating func compactIfDrained() {
        guard cursor == pending.count, cursor > 0 else { return }
        pending.removeAll(keepingCapacity: pending.capacity <= 4096)
        cursor = 0
    }

    private mutating func consume(_ byte: UInt8) -> DecodedInput? {
        switch state {
        case .idle:
            return consumeOutsidePacket(byte)
        case .body:
            consumeBody(byte)
        case .escaped:
            consumeEscaped(byte)
        case .repeatCount:
            consumeRepeatCount(byte)
        case .checksumHigh:
            if byte == UInt8(ascii: "$") {
                startPacket()
            } else {
                state = .checksumLow(HexCoding.digitValue(byte))
            }
        case .checksumLow(let high):
            if byte == UInt8(ascii: "$") {
                startPacket()
                return nil
            }
            return finishPacket(high: high, low: HexCoding.digitValue(byte))
        }
        return nil
    }

    private mutating func consumeOutsidePacket(_ byte: UInt8) -> DecodedInput? {
        switch byte {
        case UInt8(ascii: "$"):
            startPacket()
            return nil
        case UInt8(ascii: "+"):
            return .ack
        case UInt8(ascii: "-"):
            return .nack
        case 0x03:
            return .interrupt
        default:
            return nil
        }
    }

    /// '$' and '#' keep their framing meaning anywhere inside a packet: '$' starts a fresh one
    /// (the previous was cut short) and '#' ends the payload. True when `byte` was one of them.
    private mutating func consumedAsFraming(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "$"):
            startPacket()
            return true
        case UInt8(ascii: "#"):
            state = .checksumHigh
            return true
        default:
            return false
        }
    }

    private mutating func consumeBody(_ byte: UInt8) {
        guard !consumedAsFraming(byte) else { return }
        switch byte {
        case UInt8(ascii: "}"):
            sum &+= byte
            state = .escaped
        case UInt8(ascii: "*"):
            sum &+= byte
            state = .repeatCount
        default:
            sum &+= byte
            store(byte, times: 1)
        }
    }

    /// The escaped byte itself may be anything, but '$' and '#' still keep their framing
    /// meaning: gdb never sends them escaped-raw, so seeing one means the packet was cut short.
    private mutating func consumeEscaped(_ byte: UInt8) {
        guard !consumedAsFraming(byte) else { return }
        sum &+= byte
        store(byte ^ 0x20, times: 1)
        state = .body
    }

    /// Run-length encoding repeats the previous payload byte `count - 29` more times. Only
    /// stubs are supposed to send it, so a count with nothing to repeat, or out of range, is
    /// ignored rather than treated as an error.
    private mutating func consumeRepeatCount(_ byte: UInt8) {
        guard !consumedAsFraming(byte) else { return }
        sum &+= byte
        let repeats = Int(byte) - 29
        if let last = payload.last, repeats > 0 {
            store(last, times: repeats)
        }
        state = .body
    }

    private mutating func store(_ byte: UInt8, times: Int) {
        guard !overflowed else { return }
        if payload.count + times > maximumPayload {
            overflowed = true
            payload = []
            return
        }
        for _ in 0..<times {
            payload.append(byte)
        }
    }

    private mutating func startPacket() {
        state = .body
        payload = []
        sum = 0
        overflowed = false
    }

    private mutating func finishPacket(high: UInt8?, low: UInt8?) -> DecodedInput {
        state = .idle
        let body = payload
        payload = []
        if overflowed {
            overflowed = false
            return .oversized
        }
        guard let high, let low, high << 4 | low == sum else {
            return .badChecksum
        }
        return .packet(body)
    }
}
