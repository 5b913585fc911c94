import Syscalls

/// The header of an `.eh_frame_hdr` section: where `.eh_frame` is and where its sorted
/// (initial location, FDE) search table is.
///
/// The unwinder reads it from guest memory, never from a file, because in replay the code is
/// anonymous memory and `/proc/PID/maps` names no file to read it from. libunwind then searches
/// the table itself (`UNW_INFO_FORMAT_REMOTE_TABLE`).
struct EhFrameHeader: Equatable {
    /// The section's own run-time address, which the table's offsets are relative to.
    var address: UInt64
    /// The address of `.eh_frame`.
    var ehFrameAddress: UInt64
    /// How many entries the search table has.
    var entryCount: UInt64
    /// The address of the first table entry. Each entry is two 4-byte offsets from the header's
    /// own address: a function's start and its FDE.
    var tableAddress: UInt64

    /// Entries libunwind can binary-search: `DW_EH_PE_datarel | DW_EH_PE_sdata4`, 8 bytes each.
    static let searchableTableEncoding: UInt8 = 0x3b
    static let tableEntrySize: UInt64 = 8
    /// Enough bytes for the version, three encodings and two 8-byte values.
    static let maximumHeaderSize = 20
    private static let omitted: UInt8 = 0xff

    /// Parses the header from `bytes`, read at `address` (the section's run-time address, which
    /// pc-relative and data-relative values are relative to).
    init(bytes: [UInt8], address: UInt64) throws {
        self.address = address
        let reader = LittleEndianReader(bytes: bytes, what: ".eh_frame_hdr at 0x\(String(address, radix: 16))")
        let version = try reader.u8(at: 0)
        guard version == 1 else { throw UnwindError.unsupportedEhFrameHeader("version \(version)") }
        let frameEncoding = try reader.u8(at: 1)
        let countEncoding = try reader.u8(at: 2)
        let tableEncoding = try reader.u8(at: 3)
        guard countEncoding != Self.omitted, tableEncoding != Self.omitted else {
            throw UnwindError.unsupportedEhFrameHeader("it has no search table")
        }
        guard tableEncoding == Self.searchableTableEncoding else {
            throw UnwindError.unsupportedEhFrameHeader(
                "table encoding 0x\(String(tableEncoding, radix: 16)), expected datarel sdata4 (0x3b)")
        }
        var decoder = PointerDecoder(reader: reader, sectionAddress: address, offset: 4)
        ehFrameAddress = try decoder.next(frameEncoding)
        entryCount = try decoder.next(countEncoding)
        tableAddress = address &+ UInt64(decoder.offset)
    }

    /// The table's size in 8-byte words, which is how `unw_dyn_remote_table_info_t` counts it.
    var tableLengthInWords: UInt64 { entryCount * Self.tableEntrySize / 8 }
}

/// Decodes consecutive `DW_EH_PE_*`-encoded values of the header.
private struct PointerDecoder {
    let reader: LittleEndianReader
    let sectionAddress: UInt64
    var offset: Int

    mutating func next(_ encoding: UInt8) throws -> UInt64 {
        guard encoding & 0x80 == 0 else { throw UnwindError.unsupportedEhFrameHeader("indirect values") }
        let valueAddress = sectionAddress &+ UInt64(offset)
        let value: UInt64
        switch encoding & 0x0f {
        case 0x00, 0x04: value = try reader.u64(at: offset); offset += 8  // absptr, udata8
        case 0x02: value = UInt64(try reader.u16(at: offset)); offset += 2
        case 0x03: value = UInt64(try reader.u32(at: offset)); offset += 4
        case 0x0a: value = UInt64(bitPattern: try reader.signed(at: offset, size: 2)); offset += 2
        case 0x0b: value = UInt64(bitPattern: try reader.signed(at: offset, size: 4)); offset += 4
        case 0x0c: value = try reader.u64(at: offset); offset += 8
        default:
            throw UnwindError.unsupportedEhFrameHeader("value format 0x\(String(encoding & 0x0f, radix: 16))")
        }
        switch encoding & 0x70 {
        case 0x00: return value
        case 0x10: return valueAddress &+ value  // pcrel
        case 0x30: return sectionAddress &+ value  // datarel
        default:
            throw UnwindError.unsupportedEhFrameHeader("value application 0x\(String(encoding & 0x70, radix: 16))")
        }
    }
}

extension EhFrameHeader {
    /// Every function start in the search table, in ascending order (the table is sorted).
    func functionStarts(in memory: any GuestMemoryReading) throws -> [UInt64] {
        let size = Int(entryCount * Self.tableEntrySize)
        let reader = LittleEndianReader(bytes: try memory.read(tableAddress, count: size), what: ".eh_frame_hdr's search table")
        return try stride(from: 0, to: size, by: Int(Self.tableEntrySize)).map { offset in
            address &+ UInt64(bitPattern: try reader.signed(at: offset, size: 4))
        }
    }
}
