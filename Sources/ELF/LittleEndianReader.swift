/// Bounds-checked little-endian reads from a byte array, for the ELF and DWARF structures the
/// unwinder parses out of guest memory, where a short read must be an error, never a trap.
package struct LittleEndianReader {
    package let bytes: [UInt8]
    /// Names the structure in error messages.
    package let what: String

    package init(bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    package func unsigned(at offset: Int, size: Int) throws -> UInt64 {
        guard offset >= 0, offset + size <= bytes.count else {
            throw ElfError.truncated(what: what, needed: offset + size, available: bytes.count)
        }
        var value: UInt64 = 0
        for index in (0..<size).reversed() {
            value = value << 8 | UInt64(bytes[offset + index])
        }
        return value
    }

    package func signed(at offset: Int, size: Int) throws -> Int64 {
        let raw = try unsigned(at: offset, size: size)
        let unusedBits = UInt64(64 - 8 * size)
        return Int64(bitPattern: raw << unusedBits) >> unusedBits
    }

    package func u8(at offset: Int) throws -> UInt8 { UInt8(try unsigned(at: offset, size: 1)) }
    package func u16(at offset: Int) throws -> UInt16 { UInt16(try unsigned(at: offset, size: 2)) }
    package func u32(at offset: Int) throws -> UInt32 { UInt32(try unsigned(at: offset, size: 4)) }
    package func u64(at offset: Int) throws -> UInt64 { try unsigned(at: offset, size: 8) }
}
