/// Hexadecimal text as the remote protocol uses it.
///
/// Almost every number and most binary data in the protocol travel as ASCII hex: addresses and
/// lengths as big-endian digit strings of any width, register contents as the target's
/// little-endian bytes, one byte per two digits. gdb sends lower case but the protocol allows
/// either, so decoding accepts both and encoding always produces lower case, like gdbserver.
/// Every decoder returns nil on anything that is not clean hex, so callers can turn garbage into
/// a `.malformed` command instead of guessing.
public enum HexCoding {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one hex digit, or nil if `character` is not one.
    public static func digitValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Two lower-case digits for one byte.
    public static func byte(_ value: UInt8) -> [UInt8] {
        [digits[Int(value >> 4)], digits[Int(value & 0x0f)]]
    }

    /// Two digits per byte, in order.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for value in bytes {
            out.append(digits[Int(value >> 4)])
            out.append(digits[Int(value & 0x0f)])
        }
        return out
    }

    /// `encode` as a String, for building textual replies.
    public static func encodeString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: encode(bytes), as: UTF8.self)
    }

    /// Bytes from pairs of digits; nil for an odd length or any non-hex character.
    public static func decode<Text: Collection<UInt8>>(_ hex: Text) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for character in hex {
            guard let value = digitValue(character) else { return nil }
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out
    }

    /// `decode` for a String.
    public static func decode(_ hex: String) -> [UInt8]? {
        decode(Array(hex.utf8))
    }

    /// A big-endian digit string as a number, the way addresses, lengths and register numbers
    /// are written. Leading zeros are allowed; an empty string, a non-hex character or a value
    /// above UInt64.max gives nil.
    public static func parseHex<Text: Collection<UInt8>>(_ text: Text) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var value: UInt64 = 0
        for character in text {
            guard let digit = digitValue(character) else { return nil }
            guard value >> 60 == 0 else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// `parseHex` for a String.
    public static func parseHex(_ text: String) -> UInt64? {
        parseHex(Array(text.utf8))
    }

    /// `parseHex` limited to Int.max, for lengths, offsets and file descriptors that are used
    /// as Swift integers.
    public static func parseHexInt<Text: Collection<UInt8>>(_ text: Text) -> Int? {
        guard let value = parseHex(text), value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    /// The shortest lower-case digit string for `value` ("0" for zero), as used for addresses,
    /// pids and thread ids.
    public static func number(_ value: UInt64) -> [UInt8] {
        guard value != 0 else { return [UInt8(ascii: "0")] }
        var out: [UInt8] = []
        var remaining = value
        while remaining != 0 {
            out.append(digits[Int(remaining & 0x0f)])
            remaining >>= 4
        }
        return out.reversed()
    }

    /// `number` as a String.
    public static func numberString(_ value: UInt64) -> String {
        String(decoding: number(value), as: UTF8.self)
    }

    /// The low `count` bytes of `value`, least significant first: a register's in-memory form.
    /// Counts above 8 are padded with zeros.
    public static func littleEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<max(count, 0)).map { index in
            index < 8 ? UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) : 0
        }
    }

    /// The low `count` bytes of `value`, most significant first, as the File-I/O protocol's
    /// `struct stat` wants them. Counts above 8 are padded with leading zeros.
    public static func bigEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
        littleEndianBytes(value, count: count).reversed()
    }

    /// Register text for `value`: `byteCount` little-endian bytes in hex.
    public static func littleEndianHex(_ value: UInt64, byteCount: Int) -> [UInt8] {
        encode(littleEndianBytes(value, count: byteCount))
    }

    /// A little-endian byte string read back as a number; nil if it is longer than 8 bytes.
    public static func littleEndianValue<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            value |= UInt64(byte) << (8 * UInt64(index))
        }
        return value
    }
}
