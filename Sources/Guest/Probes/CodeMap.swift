import CZydis
import ELF

/// The instructions of one region of code, found by decoding it from start to end, with every
/// address a direct branch or call in it targets and every indirect jump.
///
/// A probe overwrites several instructions with one jump, which is only safe when nothing
/// arrives in the middle of them. Direct branches are found here; indirect jumps (switch
/// tables) could go anywhere in their function, so functions holding one only get probes
/// that overwrite a single instruction.
public struct CodeMap: Sendable {
    public let range: Range<UInt64>
    /// Instruction addresses, ascending.
    private let starts: [UInt64]
    /// Targets of direct jumps, conditional jumps and calls, ascending.
    private let targets: [UInt64]
    /// Addresses of jumps through a register or memory, ascending.
    private let indirectJumps: [UInt64]
    /// Function starts (from `.eh_frame_hdr`), ascending; empty when unknown.
    private let functionStarts: [UInt64]

    /// Decodes `bytes`, the code at `range.lowerBound`. Bytes that decode to nothing are
    /// skipped one at a time (padding, data between functions), which puts decoding back in
    /// step at the next real instruction.
    public init(code bytes: [UInt8], at base: UInt64, functionStarts: [UInt64] = []) {
        range = base..<base &+ UInt64(bytes.count)
        var starts: [UInt64] = []
        var targets: [UInt64] = []
        var indirectJumps: [UInt64] = []
        starts.reserveCapacity(bytes.count / 4)
        bytes.withUnsafeBytes { buffer in
            guard let pointer = buffer.baseAddress else { return }
            var instruction = ZydisDecodedInstruction()
            var offset = 0
            while offset < buffer.count {
                guard X86Decoder.shared.decode(pointer + offset, count: buffer.count - offset, into: &instruction) else {
                    offset += 1
                    continue
                }
                let address = base &+ UInt64(offset)
                starts.append(address)
                let length = Int(instruction.length)
                let relative = instruction.attributes & UInt64(ZYDIS_ATTRIB_IS_RELATIVE) != 0 && instruction.raw.imm.0.is_relative != 0
                if relative {
                    targets.append(address &+ UInt64(length) &+ UInt64(bitPattern: instruction.raw.imm.0.value.s))
                } else if instruction.meta.category == ZYDIS_CATEGORY_UNCOND_BR {
                    indirectJumps.append(address)
                }
                offset += length
            }
        }
        self.starts = starts
        self.targets = Array(Set(targets)).sorted()
        self.indirectJumps = indirectJumps
        self.functionStarts = functionStarts.sorted()
    }

    /// Whether decoding from the start of the region reached an instruction at `address`.
    public func isInstructionStart(_ address: UInt64) -> Bool {
        Self.contains(starts, address)
    }

    /// The instruction starts before `address` (nearest first), at most `count` of them.
    public func instructionStarts(before address: UInt64, count: Int) -> [UInt64] {
        let index = Self.firstIndex(in: starts, notBelow: address)
        return Array(starts[max(0, index - count)..<index].reversed())
    }

    /// Whether some direct branch or call in the region goes to `address`.
    public func isBranchTarget(_ address: UInt64) -> Bool {
        Self.contains(targets, address)
    }

    /// The function around `address`: from the last function start at or below it to the next
    /// one, or the whole region when function starts are unknown.
    public func function(around address: UInt64) -> Range<UInt64> {
        let next = Self.firstIndex(in: functionStarts, notBelow: address &+ 1)
        let lower = next > 0 ? functionStarts[next - 1] : range.lowerBound
        let upper = next < functionStarts.count ? functionStarts[next] : range.upperBound
        return max(lower, range.lowerBound)..<min(upper, range.upperBound)
    }

    /// Whether the function around `address` holds a jump through a register or memory.
    public func functionHasIndirectJump(around address: UInt64) -> Bool {
        let function = function(around: address)
        let first = Self.firstIndex(in: indirectJumps, notBelow: function.lowerBound)
        return first < indirectJumps.count && indirectJumps[first] < function.upperBound
    }

    /// Whether a function starts strictly inside `range`.
    public func functionStarts(inside range: Range<UInt64>) -> Bool {
        let first = Self.firstIndex(in: functionStarts, notBelow: range.lowerBound &+ 1)
        return first < functionStarts.count && functionStarts[first] < range.upperBound
    }

    private static func contains(_ sorted: [UInt64], _ value: UInt64) -> Bool {
        let index = firstIndex(in: sorted, notBelow: value)
        return index < sorted.count && sorted[index] == value
    }

    /// The index of the first element not below `value` (binary search).
    private static func firstIndex(in sorted: [UInt64], notBelow value: UInt64) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension CodeMap {
    /// The executable mapping of `mappings` holding `address`, if any.
    public static func mapping(around address: UInt64, in mappings: [MemoryMapping]) -> MemoryMapping? {
        mappings.first { $0.executable && $0.start <= address && address < $0.end }
    }

    /// The function starts of the ELF image holding `address`, from its `.eh_frame_hdr`; empty
    /// when it has none (or the code is no ELF image).
    public static func functionStarts(around address: UInt64, in mappings: [MemoryMapping], memory: GuestMemory) -> [UInt64] {
        guard let image = ElfImageLocator(mappings: mappings, memory: memory).image(containing: address),
              let table = image.layout.ehFrameHeaderAddress(loadAddress: image.loadAddress),
              let bytes = try? memory.read(table.address, count: EhFrameHeader.maximumHeaderSize),
              let header = try? EhFrameHeader(bytes: bytes, address: table.address)
        else { return [] }
        return (try? header.functionStarts(inTable: memory.read(header.tableAddress, count: header.tableByteCount))) ?? []
    }

    /// The code map of the executable mapping holding `address`, or nil if none does.
    /// `original` undoes rrdbg's own changes to code bytes (planted breakpoints) before they are
    /// decoded.
    public static func load(
        around address: UInt64, memory: GuestMemory, original: ([UInt8], UInt64) -> [UInt8] = { bytes, _ in bytes }
    ) throws -> CodeMap? {
        let mappings = try MemoryMap.read(pid: memory.pid)
        guard let mapping = mapping(around: address, in: mappings) else { return nil }
        let code = original(try memory.read(mapping.start, count: Int(mapping.end - mapping.start)), mapping.start)
        return CodeMap(code: code, at: mapping.start, functionStarts: functionStarts(around: address, in: mappings, memory: memory))
    }
}
