/// The primitive encodings of the event format: LEB128 varints, zigzag for signed values, and
/// length-prefixed byte strings.
///
/// Varints keep the common small values (thread ids, lengths, register deltas) to one or two
/// bytes before LZ4 even sees them. The reading side is written for hostile input: every length
/// is checked against the bytes that remain before anything is allocated or converted, so a
/// damaged trace produces a `TraceError` instead of a trap.
extension Array where Element == UInt8 {
    /// Appends `value` as an unsigned LEB128 varint (1 to 10 bytes).
    mutating func appendVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        append(UInt8(remaining))
    }

    /// Appends `value` zigzag-encoded, so small negative numbers stay short.
    mutating func appendSignedVarint(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends a varint length followed by the bytes.
    mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        appendVarint(UInt64(bytes.count))
        append(contentsOf: bytes)
    }

    /// Appends a string as length-prefixed UTF-8.
    mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            append(contentsOf: utf8)
        }
    }

    /// Appends a boolean as one byte, 0 or 1.
    mutating func appendBool(_ value: Bool) {
        append(value ? 1 : 0)
    }
}

/// A bounds-checked cursor over a byte array. Every read either succeeds within `end` or throws
/// `TraceError.malformedEvent` naming what was being read.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    var remaining: Int { end - position }

    mutating func readByte(_ field: String) throws -> UInt8 {
        guard position < end else {
            throw TraceError.malformedEvent(reason: "\(field) runs past the end of the event")
        }
        let byte = bytes[position]
        position += 1
        return byte
    }

    mutating func readVarint(_ field: String) throws -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            let byte = try readByte(field)
            if index == 9 && byte > 1 {
                throw TraceError.malformedEvent(reason: "\(field) is a varint longer than 64 bits")
            }
            value |= UInt64(byte & 0x7f) << UInt64(7 * index)
            if byte & 0x80 == 0 { return value }
        }
        throw TraceError.malformedEvent(reason: "\(field) is a varint longer than 64 bits")
    }

    mutating func readSignedVarint(_ field: String) throws -> Int64 {
        let encoded = try readVarint(field)
        return Int64(bitPattern: (encoded >> 1) ^ (0 &- (encoded & 1)))
    }

    mutating func readInt32(_ field: String) throws -> Int32 {
        let value = try readSignedVarint(field)
        guard let narrowed = Int32(exactly: value) else {
            throw TraceError.malformedEvent(reason: "\(field) \(value) does not fit in 32 bits")
        }
        return narrowed
    }

    mutating func readUInt32(_ field: String) throws -> UInt32 {
        let value = try readVarint(field)
        guard let narrowed = UInt32(exactly: value) else {
            throw TraceError.malformedEvent(reason: "\(field) \(value) does not fit in 32 bits")
        }
        return narrowed
    }

    mutating func readBool(_ field: String) throws -> Bool {
        switch try readByte(field) {
        case 0: return false
        case 1: return true
        case let other: throw TraceError.malformedEvent(reason: "\(field) has invalid boolean value \(other)")
        }
    }

    /// Reads a varint that counts bytes or items which follow. Each item takes at least one
    /// byte, so a count beyond the remaining bytes is damage, caught before any allocation.
    mutating func readCount(_ field: String) throws -> Int {
        let count = try readVarint(field)
        guard count <= UInt64(remaining) else {
            throw TraceError.malformedEvent(
                reason: "\(field) has length \(count) but only \(remaining) bytes are left in the event")
        }
        return Int(count)
    }

    mutating func readBytes(_ field: String, count: Int) throws -> [UInt8] {
        guard count >= 0 && count <= remaining else {
            throw TraceError.malformedEvent(reason: "\(field) runs past the end of the event")
        }
        let slice = bytes[position..<(position + count)]
        position += count
        return Array(slice)
    }

    mutating func readLengthPrefixed(_ field: String) throws -> [UInt8] {
        try readBytes(field, count: try readCount(field))
    }

    mutating func readString(_ field: String) throws -> String {
        let count = try readCount(field)
        let start = position
        position += count
        guard let string = String(validating: bytes[start..<position], as: UTF8.self) else {
            throw TraceError.malformedEvent(reason: "\(field) is not valid UTF-8")
        }
        return string
    }
}
