import Syscalls

/// Memory that rrdbg maps into a guest process for probe stubs: a code page and a data page for
/// each of `slotCount` probes.
///
/// A probe's jump is `jmp rel32`, so the area must lie within 2 GiB of the probed code; it is
/// placed in a hole of the address space near it. It is mapped by a syscall injected into the
/// stopped guest, marked `MADV_DONTFORK` so that checkpoints (forks of the guest) never hold a
/// copy, and unmapped again as soon as the probes are done, before the program makes another
/// syscall that could want the addresses.
public final class ProbeArea {
    public static let slotCount = 16
    public static let pageSize: UInt64 = 4096
    public static let size = UInt64(slotCount) * 2 * pageSize
    /// Kept free between the area and the program's own mappings (the stack's guard gap is
    /// 1 MiB, and heaps grow upwards).
    static let clearance: UInt64 = 1 << 20
    /// How far a rel32 displacement reaches, with room for the area itself.
    static let reach: UInt64 = (1 << 31) - 2 * size

    public let base: UInt64
    private var used = [Bool](repeating: false, count: slotCount)

    init(base: UInt64) {
        self.base = base
    }

    public var range: Range<UInt64> { base..<base &+ Self.size }

    /// Whether code at `address` can jump into the area and back with 32-bit displacements.
    public func isReachable(from address: UInt64) -> Bool {
        Self.distance(address, base) < Self.reach
    }

    public var hasFreeSlot: Bool { used.contains(false) }
    public var isUnused: Bool { !used.contains(true) }

    func takeSlot() -> Int? {
        guard let slot = used.firstIndex(of: false) else { return nil }
        used[slot] = true
        return slot
    }

    func releaseSlot(_ slot: Int) {
        used[slot] = false
    }

    func codeAddress(ofSlot slot: Int) -> UInt64 { base &+ UInt64(slot) * Self.pageSize }
    func dataAddress(ofSlot slot: Int) -> UInt64 { base &+ (UInt64(Self.slotCount) + UInt64(slot)) * Self.pageSize }

    private static func distance(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : b - a }

    /// The lowest and highest addresses of user space an area may use.
    static let lowestAddress: UInt64 = 0x10000
    static let highestAddress: UInt64 = 0x7fff_ffff_f000

    /// A page-aligned address for an area near `address`, in a hole of `mappings` with
    /// `clearance` on both sides, or nil if there is none within reach.
    public static func placement(near address: UInt64, mappings: [MemoryMapping]) -> UInt64? {
        var holes: [Range<UInt64>] = []
        var cursor = lowestAddress
        for mapping in mappings.sorted(by: { $0.start < $1.start }) where mapping.start < highestAddress {
            if mapping.start > cursor { holes.append(cursor..<mapping.start) }
            cursor = max(cursor, mapping.end)
        }
        if cursor < highestAddress { holes.append(cursor..<highestAddress) }
        var best: UInt64?
        for hole in holes where hole.upperBound - hole.lowerBound >= size + 2 * clearance {
            let lowest = hole.lowerBound + clearance
            let highest = hole.upperBound - clearance - size
            let candidate = min(max(address, lowest), highest) & ~(pageSize - 1)
            guard candidate >= lowest, distance(candidate, address) < reach else { continue }
            if best.map({ distance(candidate, address) < distance($0, address) }) ?? true { best = candidate }
        }
        return best
    }

    static let madviseDontFork: UInt64 = 10
    /// PROT_READ | PROT_WRITE | PROT_EXEC; MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE.
    static let protection: UInt64 = 7
    static let flags: UInt64 = 0x02 | 0x20 | 0x10_0000

    /// Maps an area near `address` into the stopped thread's process. The thread must be at a
    /// stop where syscalls can be injected (a syscall exit, or a signal stop).
    public static func map(near address: UInt64, into thread: consuming StoppedThread) throws -> MappedProbeArea {
        guard let placement = placement(near: address, mappings: try MemoryMap.read(pid: thread.process.pid)) else {
            return MappedProbeArea(thread: thread, area: nil)
        }
        let rip = try thread.registers().rip
        let mapped = try SyscallInjector.inject(
            .mmap, [placement, size, protection, flags, UInt64.max, 0], into: thread, instructionAddress: rip)
        let result = mapped.result
        var current = mapped.takeThread()
        guard result == Int64(bitPattern: placement) else {
            if result > 0 {
                current = try SyscallInjector.inject(.munmap, [UInt64(bitPattern: result), size], into: current, instructionAddress: rip).takeThread()
            }
            return MappedProbeArea(thread: current, area: nil)
        }
        current = try SyscallInjector.inject(.madvise, [placement, size, madviseDontFork], into: current, instructionAddress: rip).takeThread()
        return MappedProbeArea(thread: current, area: ProbeArea(base: placement))
    }

    /// Unmaps the area from the stopped thread's process.
    public func unmap(from thread: consuming StoppedThread) throws -> StoppedThread {
        let rip = try thread.registers().rip
        return try SyscallInjector.inject(.munmap, [base, Self.size], into: thread, instructionAddress: rip).takeThread()
    }
}

/// A thread after mapping a probe area, and the area (nil if no hole was within reach).
public struct MappedProbeArea: ~Copyable {
    public var thread: StoppedThread
    public var area: ProbeArea?

    public consuming func takeThread() -> StoppedThread { thread }
}
