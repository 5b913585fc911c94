import ELF
import Syscalls

/// An ELF image loaded in the guest: its header's address and its layout.
package struct LoadedElfImage {
    /// Where its ELF header is mapped: the start of its first `PT_LOAD` page.
    package var loadAddress: UInt64
    package var layout: ElfLayout
    package var ranges: [Range<UInt64>]

    package func contains(_ address: UInt64) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// From the lowest loaded address to the end of the highest loaded segment.
    package var span: Range<UInt64> {
        (ranges.map(\.lowerBound).min() ?? loadAddress)..<(ranges.map(\.upperBound).max() ?? loadAddress)
    }
}

/// Finds the ELF image holding a code address using only the memory map's ranges and the guest's
/// memory, never the file names in `/proc/PID/maps`.
///
/// During replay code is mapped as anonymous memory holding the file's bytes, so the names are
/// missing; what remains is that an image's first mapping starts with its ELF header, whose
/// program headers say which addresses the image covers. Images found are kept, so a backtrace
/// reads each header once.
package final class ElfImageLocator {
    private let mappings: [MemoryMapping]
    private let memory: any GuestMemoryReading
    private var images: [LoadedElfImage] = []
    /// Mapping starts already checked for an ELF header.
    private var examined: Set<UInt64> = []

    package init(mappings: [MemoryMapping], memory: any GuestMemoryReading) {
        self.mappings = mappings.sorted { $0.start > $1.start }
        self.memory = memory
    }

    /// The image whose loaded segments contain `address`, or nil if none does. Candidates are
    /// the readable mappings starting at or below the address, nearest first.
    package func image(containing address: UInt64) -> LoadedElfImage? {
        if let known = images.first(where: { $0.contains(address) }) { return known }
        for mapping in mappings where mapping.start <= address && mapping.readable {
            guard examined.insert(mapping.start).inserted, let image = image(at: mapping.start) else { continue }
            images.append(image)
            if image.contains(address) { return image }
        }
        return nil
    }

    /// Parses the ELF image whose header is at `start`, or nil if there is none.
    private func image(at start: UInt64) -> LoadedElfImage? {
        guard let magic = try? memory.read(start, count: ElfLayout.magic.count), ElfLayout.hasMagic(magic),
              let layout = try? ElfLayout(
                  named: "the image at 0x\(String(start, radix: 16))",
                  read: { offset, count in try self.memory.read(start &+ offset, count: count) })
        else { return nil }
        return LoadedElfImage(loadAddress: start, layout: layout, ranges: layout.loadedRanges(loadAddress: start))
    }
}
