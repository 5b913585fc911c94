import Glibc
import Guest

/// The probes in the guest a debugger controls: at most one per address, each tied to the
/// stretch of execution (the interval after one event) whose passes it counts.
///
/// Probes are armed only while that stretch runs: `armForRun` before the guest is resumed with
/// a continue, `disarmAll` at every stop. So the program's code is its own whenever rrdbg or
/// gdb looks at it, forks a checkpoint of it or single-steps it. Areas are unmapped as soon as
/// their last probe goes, always at a stop where nothing else is pending.
final class ProbeSet {
    /// One probe and what it is for.
    final class Entry {
        let probe: InstructionProbe
        /// `ReplayEngine.progress` of the stretch it counts in.
        let interval: Int
        /// Set at a stop inside the probe's stub at the probed instruction, until the thread
        /// runs on: the arrival there has already been counted.
        var arrivalCounted = false
        var purpose: Purpose = .count
        /// The arrival a run stops at (its target trap), if any; the checkpoint pacer may trap
        /// earlier, and then puts this back.
        var goal: UInt64?
        /// Where the next periodic checkpoint is taken, when the probe paces them.
        var pacer: CheckpointPacer?
        /// Arrivals where a checkpoint is wanted besides the periodic ones, ascending.
        var scheduled: [UInt64] = []

        init(probe: InstructionProbe, interval: Int) {
            self.probe = probe
            self.interval = interval
        }

        var address: UInt64 { probe.address }

        /// Makes the target trap fire at the goal or the next checkpoint, whichever comes first.
        func updateTarget(in memory: GuestMemory) throws {
            let targets = [goal, pacer?.next, scheduled.first].compactMap { $0 }
            try probe.setTarget(targets.min(), memory: memory)
        }
    }

    /// What a probe is looking for.
    enum Purpose {
        /// Arrivals only: its target (if any) is the place sought.
        case count
        /// The state of the async point that is the debugged process's event number `event`
        /// (its `ReplayEngine.progress` once applied).
        case asyncPoint(event: Int, state: SoughtState)
        /// A state the debugger was at, to find which arrival it is.
        case instant(SoughtState)

        var state: SoughtState? {
            switch self {
            case .count: return nil
            case .asyncPoint(_, let state), .instant(let state): return state
            }
        }
    }

    /// The process the probes are in (areas are mapped in one process).
    private(set) var owner: pid_t?

    private(set) var entries: [UInt64: Entry] = [:]
    private var areas: [ProbeArea] = []
    private let codeMaps: CodeMapCache

    init(codeMaps: CodeMapCache) {
        self.codeMaps = codeMaps
    }

    var isEmpty: Bool { entries.isEmpty }

    subscript(address: UInt64) -> Entry? { entries[address] }

    /// Why a probe could not be placed, for the fallback's log line.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// Places a probe counting arrivals at `address` in the stretch `interval`, mapping an
    /// area near it if needed. `original` gives the program's bytes where rrdbg planted
    /// breakpoints; a window holding one of `occupied` (breakpoints at other addresses than the
    /// window start) is refused, since the int3 and the jump cannot share bytes.
    func place(
        at address: UInt64, interval: Int, in thread: consuming StoppedThread, occupied: Set<UInt64>,
        original: @escaping ([UInt8], UInt64) -> [UInt8]
    ) throws -> PlacedProbe {
        if let existing = entries[address] {
            return PlacedProbe(thread: thread, result: .success(existing))
        }
        guard owner == nil || owner == thread.process.pid else {
            return PlacedProbe(thread: thread, result: .failure(Refusal(description: "probes are in another process")))
        }
        let memory = thread.memory
        guard let code = try codeMaps.map(around: address, memory: memory, original: original) else {
            return PlacedProbe(thread: thread, result: .failure(Refusal(description: "no code is mapped there")))
        }
        let window: ProbeWindow
        switch ProbeWindow.choose(anchor: address, code: code, read: { start, count in
            (try? memory.read(start, count: count)).map { original($0, start) }
        }) {
        case .success(let chosen): window = chosen
        case .failure(let refusal): return PlacedProbe(thread: thread, result: .failure(Refusal(description: refusal.description)))
        }
        if let taken = occupied.first(where: { window.range.contains($0) }) {
            return PlacedProbe(thread: thread, result: .failure(Refusal(description: "a breakpoint at 0x\(String(taken, radix: 16)) shares its bytes")))
        }
        if let overlapping = entries.values.first(where: { $0.probe.window.range.overlaps(window.range) }) {
            return PlacedProbe(thread: thread, result: .failure(Refusal(
                description: "the probe at 0x\(String(overlapping.address, radix: 16)) shares its bytes")))
        }
        var current = thread
        var area = areas.first { $0.hasFreeSlot && $0.isReachable(from: window.start) }
        if area == nil {
            let mapped = try ProbeArea.map(near: window.start, into: current)
            area = mapped.area
            current = mapped.takeThread()
            guard let area else {
                return PlacedProbe(thread: current, result: .failure(Refusal(description: "no free memory within 2 GiB of it")))
            }
            areas.append(area)
            owner = current.process.pid
        }
        guard let area, let probe = try InstructionProbe(window: window, area: area, memory: current.memory) else {
            return PlacedProbe(thread: current, result: .failure(Refusal(description: "its probe area is full")))
        }
        let entry = Entry(probe: probe, interval: interval)
        entries[address] = entry
        return PlacedProbe(thread: current, result: .success(entry))
    }

    /// Removes the probe at `address`, and with `unmapping` (where a syscall can be injected at
    /// the thread's stop) every area left without probes.
    func remove(_ address: UInt64, from thread: consuming StoppedThread, unmapping: Bool) throws -> StoppedThread {
        if let entry = entries.removeValue(forKey: address) {
            try entry.probe.disarm(thread.memory)
            entry.probe.release()
        }
        return unmapping ? try unmapUnusedAreas(from: thread) : thread
    }

    /// Removes every probe, and every area with them (the stop must allow injecting syscalls).
    func removeAll(from thread: consuming StoppedThread) throws -> StoppedThread {
        var current = thread
        for address in Array(entries.keys) { current = try remove(address, from: current, unmapping: false) }
        return try unmapUnusedAreas(from: current)
    }

    /// Whether areas are mapped in the process of `thread`.
    func hasAreas(in thread: borrowing StoppedThread) -> Bool {
        !areas.isEmpty && thread.process.pid == owner
    }

    private func unmapUnusedAreas(from thread: consuming StoppedThread) throws -> StoppedThread {
        guard thread.process.pid == owner else { return thread }
        var current = thread
        for area in areas where area.isUnused {
            current = try area.unmap(from: current)
        }
        areas.removeAll { $0.isUnused }
        if areas.isEmpty { owner = nil }
        return current
    }

    /// The address ranges rrdbg has mapped in the guest, which are not the program's memory.
    var mappedRanges: [Range<UInt64>] { areas.map(\.range) }

    /// Arms the probes of stretch `interval` before the guest continues, and moves the thread
    /// into a probe's stub if it stands inside that probe's window. `avoiding` are addresses
    /// that must run in place (breakpoints), which stubs then do not copy.
    func armForRun(_ thread: borrowing StoppedThread, interval: Int, avoiding: Set<UInt64>) throws {
        guard !entries.isEmpty, thread.process.pid == owner else { return }
        var registers = try thread.registers()
        var moved = false
        for entry in entries.values where entry.interval == interval {
            try entry.probe.arm(thread.memory, avoiding: avoiding.union(otherWindows(than: entry)))
            if let inStub = entry.probe.resumeAddress(for: registers.rip, arrivalCounted: entry.arrivalCounted) {
                registers.rip = inStub
                moved = true
            }
            entry.arrivalCounted = false
        }
        if moved { try thread.setRegisters(registers) }
    }

    /// The windows of the probes other than `entry`, which a copied loop must not skip either.
    private func otherWindows(than entry: Entry) -> Set<UInt64> {
        Set(entries.values.filter { $0 !== entry }.flatMap { $0.probe.window.instructions.map(\.address) })
    }

    func disarmAll(in thread: borrowing StoppedThread) throws {
        guard thread.process.pid == owner else { return }
        for entry in entries.values { try entry.probe.disarm(thread.memory) }
    }

    /// What a stop means for the probes: a trap of one of them, or a stop inside a stub for
    /// another reason. Either way the thread is shown where it is in the program's terms (its
    /// registers are rewritten, and the probe remembers whether its arrival was counted), so
    /// that a stub can be rebuilt before the thread runs on, and `armForRun` puts it back into
    /// whichever stub is current.
    enum StopMeaning: Equatable {
        case unrelated
        case trap(InstructionProbe.Trap, at: UInt64)
        case insideStub(of: UInt64)
    }

    func meaning(of thread: borrowing StoppedThread) throws -> StopMeaning {
        guard !entries.isEmpty, thread.process.pid == owner else { return .unrelated }
        let registers = try thread.registers()
        for entry in entries.values {
            guard let view = try entry.probe.programView(of: registers, memory: thread.memory) else { continue }
            try thread.setRegisters(view.registers)
            entry.arrivalCounted = view.arrivalCounted
            if let trap = entry.probe.trap(at: registers.rip), thread.stop == .signal(SIGTRAP) {
                return .trap(trap, at: entry.address)
            }
            return .insideStub(of: entry.address)
        }
        return .unrelated
    }
}

/// A thread after placing a probe, and the probe's entry or why there is none.
struct PlacedProbe: ~Copyable {
    var thread: StoppedThread
    var result: Result<ProbeSet.Entry, ProbeSet.Refusal>

    consuming func takeThread() -> StoppedThread { thread }
}
