import Guest
import X86Registers

/// One instant of a replay, described well enough to recognise it when the replay is executed
/// again: how many events had been applied, the registers, and the whole writable memory.
///
/// With no hardware counter to say "instruction N", this is how reverse execution finds its
/// way back: equal registers and memory after the same event mean the same instant, because
/// execution from there on is a function of that state alone.
struct ReplayInstant {
    var eventIndex: Int
    /// `ReplayEngine.progress` there, which with `-p` counts only the debugged process's events.
    var progress: Int
    var registers: Registers
    var digest: UInt64
    /// The kind of stop the thread was in.
    var stop: Stop
    /// rrdbg's own memory in the guest (probe areas), which is not the program's state.
    var excluded: [Range<UInt64>]

    init(_ thread: borrowing StoppedThread, eventIndex: Int, progress: Int, excluding excluded: [Range<UInt64>]) throws {
        self.eventIndex = eventIndex
        self.progress = progress
        self.excluded = excluded
        stop = thread.stop
        registers = ReplayInstant.comparable(try thread.registers())
        digest = try MemoryDigest.of(thread.memory, excluding: excluded)
    }

    var address: UInt64 { registers.rip }

    /// Whether `thread` is at this instant. Memory is only digested when everything else agrees.
    func matches(_ thread: borrowing StoppedThread, progress: Int, excluding ranges: [Range<UInt64>]) throws -> Bool {
        guard progress == self.progress else { return false }
        return try matches(registers: try thread.registers(), memory: thread.memory, excluding: ranges)
    }

    func matches(registers: Registers, memory: GuestMemory, excluding ranges: [Range<UInt64>]) throws -> Bool {
        guard ReplayInstant.comparable(registers) == self.registers else { return false }
        return try MemoryDigest.of(memory, excluding: ranges) == digest
    }

    /// The instant as a state for a probe to look for, with `reference` (the guest stopped at
    /// the instant) supplying the expected memory. `rrdbgMemory` gives the ranges of the guest
    /// being checked that rrdbg mapped itself, which are left out when the state is verified.
    func sought(
        reference: borrowing StoppedThread, rrdbgMemory: @escaping () -> [Range<UInt64>]
    ) throws -> SoughtState {
        let memory = reference.memory
        let regions = try MemoryMap.read(pid: memory.pid)
            .filter { $0.writable && !$0.path.hasPrefix("[v") && !excluded.contains(where: $0.range.overlaps) }
            .map(\.range)
        return SoughtState(
            registers: try reference.registers(), regions: regions,
            expectedBytes: { range in try memory.read(range.lowerBound, count: range.count) },
            verify: { [self] registers, current in try self.matches(registers: registers, memory: current, excluding: rrdbgMemory()) })
    }

    /// The registers with what depends on how the thread was stopped left out: orig_rax (a
    /// syscall-exit stop shows the call, a breakpoint trap shows -1) and the trap and resume
    /// flags in eflags.
    private static func comparable(_ registers: Registers) -> Registers {
        var normalized = registers
        normalized.origRax = 0
        normalized[.eflags] &= ~(EFlags.trap | EFlags.resume)
        return normalized
    }
}

private extension MemoryMapping {
    var range: Range<UInt64> { start..<end }
}
