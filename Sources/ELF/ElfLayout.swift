/// An ELF image's type and program headers: enough to tell where its code is loaded, whether
/// addresses in it are relocated, and where its `.eh_frame_hdr` is.
///
/// It is read through a byte source rather than from a file because the unwinder reads it out of
/// guest memory (in replay the code is anonymous memory holding the file's bytes) while the
/// symbolizer reads the archived file on disk.
package struct ElfLayout: Equatable {
    /// The parts of a program header (`Elf64_Phdr`) that place it in memory.
    package struct Segment: Equatable {
        package var type: UInt32
        package var virtualAddress: UInt64
        package var memorySize: UInt64
    }

    package static let magic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
    package static let headerSize = 64
    package static let typeExecutable: UInt16 = 2  // ET_EXEC: linked at fixed addresses
    package static let typeShared: UInt16 = 3  // ET_DYN: PIE executables and shared libraries
    package static let segmentLoad: UInt32 = 1  // PT_LOAD
    package static let segmentEhFrameHeader: UInt32 = 0x6474_e550  // PT_GNU_EH_FRAME
    private static let machineX86_64: UInt16 = 62
    private static let programHeaderSize = 56
    private static let pageSize: UInt64 = 4096
    /// Far more than any real image has; a bound so corrupt memory cannot ask for gigabytes.
    private static let maximumProgramHeaderBytes = 65536

    /// `e_type`.
    package var type: UInt16
    package var segments: [Segment]

    /// Parses the header and program headers. `read(offset, count)` returns the image's bytes at
    /// a file offset; the program headers are within the first loaded page in practice, which
    /// is why memory (the image mapped at its load address) can serve as the source.
    package init(named name: String, read: (_ offset: UInt64, _ count: Int) throws -> [UInt8]) throws {
        let header = LittleEndianReader(bytes: try read(0, Self.headerSize), what: "the ELF header of \(name)")
        guard header.bytes.count == Self.headerSize, Array(header.bytes[0..<4]) == Self.magic,
              try header.u8(at: 4) == 2, try header.u8(at: 5) == 1, try header.u16(at: 18) == Self.machineX86_64
        else { throw ElfError.notElf(name) }
        type = try header.u16(at: 16)
        let tableOffset = try header.u64(at: 32)
        let entrySize = Int(try header.u16(at: 54))
        let count = Int(try header.u16(at: 56))
        guard entrySize >= Self.programHeaderSize, entrySize * count <= Self.maximumProgramHeaderBytes else {
            throw ElfError.notElf(name)
        }
        let table = LittleEndianReader(
            bytes: try read(tableOffset, entrySize * count), what: "the program headers of \(name)")
        segments = try (0..<count).map { index in
            let base = index * entrySize
            return Segment(
                type: try table.u32(at: base), virtualAddress: try table.u64(at: base + 16),
                memorySize: try table.u64(at: base + 40))
        }
    }

    /// True when the image starts with the ELF magic; a cheap test before parsing.
    package static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }

    /// The page-aligned address the lowest `PT_LOAD` is linked at. The loader maps that page at
    /// the image's load address, so `loadAddress - linkedBase` is the load bias: what was added
    /// to every linked address (0 for an `ET_EXEC` file, which runs where it was linked).
    package var linkedBase: UInt64 {
        let lowest = segments.filter { $0.type == Self.segmentLoad }.map(\.virtualAddress).min() ?? 0
        return lowest & ~(Self.pageSize - 1)
    }

    /// The run-time address ranges of the loaded segments for an image loaded at `loadAddress`.
    package func loadedRanges(loadAddress: UInt64) -> [Range<UInt64>] {
        let bias = loadAddress &- linkedBase
        return segments.filter { $0.type == Self.segmentLoad && $0.memorySize > 0 }.map {
            ($0.virtualAddress &+ bias)..<($0.virtualAddress &+ bias &+ $0.memorySize)
        }
    }

    /// The run-time address of `.eh_frame_hdr` for an image loaded at `loadAddress`, if it has one.
    package func ehFrameHeaderAddress(loadAddress: UInt64) -> (address: UInt64, size: UInt64)? {
        guard let segment = segments.first(where: { $0.type == Self.segmentEhFrameHeader }) else { return nil }
        return (segment.virtualAddress &+ (loadAddress &- linkedBase), segment.memorySize)
    }
}
