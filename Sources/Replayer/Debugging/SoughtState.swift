import Guest
import Trace
import X86Registers

/// A state of one thread that a probe looks for: an async point's recorded state, or an
/// instant the debugger stopped at before. Its registers and some memory words become the
/// probe's checks, so the guest traps only when they all hold; the full state is then verified
/// by rrdbg, and a false match teaches the probe more words to compare.
struct SoughtState {
    /// The registers, as the program has them at that instant.
    var registers: Registers
    /// The memory to compare, as regions and a way to read their expected contents.
    var regions: [Range<UInt64>]
    var expectedBytes: (Range<UInt64>) throws -> [UInt8]
    /// Whether a thread with these registers and this memory is at the state.
    var verify: (Registers, GuestMemory) throws -> Bool

    /// An async point's recorded state.
    init(asyncPoint point: AsyncPointEvent) {
        registers = Registers(values: point.registers.values)
        regions = point.pages.map { $0.address..<$0.address + UInt64($0.bytes.count) }
        let pages = point.pages
        expectedBytes = { range in
            guard let run = pages.first(where: { $0.address <= range.lowerBound && range.upperBound <= $0.address + UInt64($0.bytes.count) }) else {
                return []
            }
            let start = Int(range.lowerBound - run.address)
            return Array(run.bytes[start..<start + range.count])
        }
        verify = { registers, memory in try AsyncPointMatch.matches(point, registers: registers, memory: memory) }
    }

    init(
        registers: Registers, regions: [Range<UInt64>], expectedBytes: @escaping (Range<UInt64>) throws -> [UInt8],
        verify: @escaping (Registers, GuestMemory) throws -> Bool
    ) {
        self.registers = registers
        self.regions = regions
        self.expectedBytes = expectedBytes
        self.verify = verify
    }

    /// How many memory words a probe compares at first, and how many a false match adds.
    static let initialWords = 16
    static let wordsPerRefinement = 8

    /// The checks for a probe that starts looking while the thread has `current` registers:
    /// the registers that differ now come first (they are the ones that change on the way),
    /// then the memory words that differ now, then the other registers.
    func checks(current: Registers, memory: GuestMemory) throws -> [ProbeCheck] {
        let differing = GeneralRegister.allCases.filter { current[$0.registerName] != registers[$0.registerName] }
        let same = GeneralRegister.allCases.filter { current[$0.registerName] == registers[$0.registerName] }
        let words = try differingWords(in: memory, limit: Self.initialWords)
        return differing.map(registerCheck) + words + same.map(registerCheck)
    }

    /// `checks` after a false match: the words that still differ go first.
    func refined(_ checks: [ProbeCheck], memory: GuestMemory) throws -> [ProbeCheck] {
        let fresh = try differingWords(in: memory, limit: Self.wordsPerRefinement).filter { !checks.contains($0) }
        return fresh + checks
    }

    private func registerCheck(_ register: GeneralRegister) -> ProbeCheck {
        ProbeCheck(.register(register), expected: registers[register.registerName])
    }

    /// Aligned 8-byte words whose contents in `memory` differ from the sought state: the first
    /// one of each differing page, so that they cover as much of the state as they can, at
    /// most `limit`, spread over the regions.
    func differingWords(in memory: GuestMemory, limit: Int) throws -> [ProbeCheck] {
        var found: [ProbeCheck] = []
        let page: UInt64 = 4096
        for region in regions {
            var start = region.lowerBound
            while start < region.upperBound, found.count < 4 * limit {
                let range = start..<min(region.upperBound, (start / page + 1) * page)
                start = range.upperBound
                guard let expected = try? expectedBytes(range), expected.count == range.count,
                      let actual = try? memory.read(range.lowerBound, count: range.count),
                      actual != expected
                else { continue }
                var offset = Int((8 - range.lowerBound % 8) % 8)
                while offset + 8 <= expected.count, actual[offset..<offset + 8] == expected[offset..<offset + 8] {
                    offset += 8
                }
                guard offset + 8 <= expected.count else { continue }
                let value = expected[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                found.append(ProbeCheck(.word(range.lowerBound + UInt64(offset)), expected: value))
            }
        }
        guard found.count > limit else { return found }
        return (0..<limit).map { found[$0 * found.count / limit] }
    }
}

/// Whether a thread is exactly at an async point: the same registers (but for the trap and
/// resume flags, which stepping sets) and the same contents in every page the point recorded.
/// Two instants of one replay with equal state have equal futures, so this is the recorded
/// instant, however many times the thread passed this instruction before.
enum AsyncPointMatch {
    static func matches(_ point: AsyncPointEvent, registers: Registers, memory: GuestMemory) throws -> Bool {
        var current = registers
        var recorded = point.registers
        current[.eflags] &= ~(EFlags.trap | EFlags.resume)
        recorded[.eflags] &= ~(EFlags.trap | EFlags.resume)
        guard current.values == recorded.values else { return false }
        for run in point.pages where try memory.read(run.address, count: run.bytes.count) != run.bytes {
            return false
        }
        return true
    }
}
