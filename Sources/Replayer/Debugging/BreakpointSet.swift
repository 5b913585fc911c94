import Guest
import Trace

/// The debugger's breakpoints and watchpoints, and how far they are in place in the current
/// guest.
///
/// gdb inserts and removes them one at a time while the replay is stopped, but the guest they
/// apply to changes under them: reverse execution replaces it with a re-executed one, an mmap
/// replaces code they were planted in, a fork copies their bytes into a process nobody debugs,
/// and the CPU's debug registers belong to one thread each. This type keeps what gdb asked for
/// apart from those changes and puts it into each guest: software breakpoints as int3 bytes
/// (planted at once where their code is mapped, later where it is not), hardware breakpoints
/// and watchpoints as the debug register assignment the engine gives every thread of the
/// debugged process. Reverse execution's markers are int3 bytes too and are planted the same
/// way, since one int3 can be a marker and a user's breakpoint at once.
final class BreakpointSet {
    /// The int3 bytes in the current guest: the user's breakpoints and reverse execution's markers.
    let planted = SoftwareBreakpoints()
    /// The user's software breakpoints.
    private var software: Set<UInt64> = []
    /// Breakpoints and markers to plant in the current guest once their code is mapped.
    private var queued: Set<UInt64> = []
    /// DR0-DR3: the user's hardware breakpoints (no kind) and watchpoints.
    private var hardware: [(slot: DebugRegisterSlot, kind: WatchKind?)?] = [nil, nil, nil, nil]
    private var hardwareChanged = false
    /// The hardware slots as last given to the current guest's threads.
    private(set) var assignment = DebugRegisterAssignment()

    /// True when the user has no breakpoint or watchpoint.
    var isEmpty: Bool { software.isEmpty && !hardware.contains { $0 != nil } }

    // MARK: Software breakpoints

    func containsSoftware(_ address: UInt64) -> Bool { software.contains(address) }

    func insertSoftware(_ address: UInt64, in memory: any BreakpointMemory) throws {
        try planted.insert(address, in: memory)
        software.insert(address)
    }

    func removeSoftware(_ address: UInt64, in memory: any BreakpointMemory) throws {
        software.remove(address)
        queued.remove(address)
        try planted.remove(address, in: memory)
    }

    /// Forgets the user's software breakpoints: gdb inserts them again in a new run.
    func forgetSoftware() {
        software.removeAll()
    }

    // MARK: Hardware breakpoints and watchpoints

    /// Takes a free debug register for `slot`, a watchpoint of `kind` or (nil) a hardware
    /// breakpoint; false when all four are in use.
    func insertHardware(_ slot: DebugRegisterSlot, kind: WatchKind?) -> Bool {
        guard let free = hardware.firstIndex(where: { $0 == nil }) else { return false }
        hardware[free] = (slot, kind)
        hardwareChanged = true
        return true
    }

    func removeHardware(_ slot: DebugRegisterSlot) {
        guard let index = hardware.firstIndex(where: { $0?.slot == slot }) else { return }
        hardware[index] = nil
        hardwareChanged = true
    }

    /// The addresses of the hardware execution breakpoints.
    var hardwareBreakpointAddresses: Set<UInt64> {
        Set(hardware.compactMap { entry in entry.flatMap { $0.kind == nil ? $0.slot.address : nil } })
    }

    /// The stop that debug register `index` triggering means, if it holds a slot.
    func hardwareStop(triggered index: Int) -> DebugStop? {
        guard let armed = hardware[index] else { return nil }
        return armed.kind.map { .watchpoint($0, armed.slot.address) } ?? .hardwareBreakpoint(armed.slot.address)
    }

    /// The first write or access watchpoint that `writes` touch, if any.
    func watchpoint(touchedBy writes: [MemoryWrite]) -> (kind: WatchKind, address: UInt64)? {
        for case let (slot, kind?)? in hardware where kind != .read {
            let watched = slot.address..<slot.address + UInt64(slot.length)
            for write in writes where watched.overlaps(write.address..<write.address + UInt64(write.bytes.count)) {
                return (kind, slot.address)
            }
        }
        return nil
    }

    /// Gives the current hardware slots to the guest's threads (each takes them before it next
    /// runs), if they changed since they were last given.
    func assignHardware() {
        guard hardwareChanged else { return }
        assignment = DebugRegisterAssignment(slots: hardware.map { $0?.slot }, version: assignment.version + 1)
        hardwareChanged = false
    }

    // MARK: Putting them into a guest

    /// A new guest replaces the current one: nothing is planted or assigned in it yet. With
    /// `replanting`, the user's software breakpoints wait to be planted in it.
    func guestReplaced(replanting: Bool) {
        planted.forgetAll()
        queued = replanting ? software : []
        assignment = DebugRegisterAssignment()
        hardwareChanged = hardware.contains { $0 != nil }
    }

    /// The user's software breakpoints not planted in the current guest wait to be planted.
    func queueSoftware() {
        queued = software.filter { !planted.contains($0) }
    }

    /// A marker of reverse execution's waits to be planted.
    func queueMarker(_ address: UInt64) {
        queued.insert(address)
    }

    /// New memory was mapped over `range`: what was planted there went with the old contents,
    /// so it waits to be planted again.
    func memoryReplaced(_ range: Range<UInt64>) {
        queued.formUnion(planted.forget(in: range))
    }

    /// Plants what waits, where its code is mapped in `memory`; the rest keeps waiting.
    func plantQueued(in memory: any BreakpointMemory) {
        for address in queued where (try? planted.insert(address, in: memory)) != nil {
            queued.remove(address)
        }
    }

    /// Removes a marker, unless a user's breakpoint shares its int3.
    func removeMarker(_ address: UInt64, in memory: any BreakpointMemory) throws {
        guard !software.contains(address) else { return }
        try planted.remove(address, in: memory)
    }

    /// Puts the original bytes back in `memory`, a forked copy of the guest's memory that
    /// inherited every planted int3.
    func removeInherited(from memory: any BreakpointMemory) {
        for (address, original) in planted.originals {
            try? memory.write([original], at: address)
        }
    }
}
