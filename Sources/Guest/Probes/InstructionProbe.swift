/// A probe at one instruction of a guest: it counts how many times execution arrives there and
/// traps to rrdbg only on the arrival that matters, so rrdbg finds a place in a hot loop at
/// close to native speed instead of one ptrace stop per pass.
///
/// The probe is armed (the window's first bytes replaced by a jump to its stub) only while the
/// guest runs; whoever stops the guest disarms it, so the program's code is its own at every
/// stop, in every checkpoint and for every debugger read. A thread stopped inside the stub is
/// shown where it is in the program's terms (`programRegisters`).
public final class InstructionProbe {
    public let window: ProbeWindow
    public let area: ProbeArea
    private let slot: Int
    /// The program's bytes under the window.
    private let original: [UInt8]
    public private(set) var code: ProbeCode
    public private(set) var checks: [ProbeCheck] = []
    public private(set) var isArmed = false

    /// The address whose arrivals are counted.
    public var address: UInt64 { window.anchor }

    /// Sets up a probe for `window` in a free slot of `area`, counting from zero, with no target
    /// and no checks; nil when the area is full.
    public init?(window: ProbeWindow, area: ProbeArea, memory: GuestMemory) throws {
        guard area.isReachable(from: window.start), let slot = area.takeSlot() else { return nil }
        self.window = window
        self.area = area
        self.slot = slot
        original = window.instructions.flatMap(\.bytes)
        do {
            code = try ProbeCode(window: window, checks: [], address: area.codeAddress(ofSlot: slot), data: area.dataAddress(ofSlot: slot))
            try memory.write(code.bytes, at: code.start)
            try memory.write([UInt8](repeating: 0, count: 8 * ProbeCode.Slot.firstCheck.rawValue), at: dataAddress(.savedRCX))
            try setCounter(count: 0, target: nil, memory: memory)
        } catch {
            area.releaseSlot(slot)
            throw error
        }
    }

    /// Frees the probe's slot; it must be disarmed.
    public func release() {
        precondition(!isArmed, "a probe is released while its jump is still in the program")
        area.releaseSlot(slot)
    }

    private func dataAddress(_ slot: ProbeCode.Slot, offset: Int = 0) -> UInt64 {
        area.dataAddress(ofSlot: self.slot) &+ UInt64((slot.rawValue + offset) * 8)
    }

    /// The largest number of checks one probe holds.
    public static let maximumChecks = 64

    /// Makes the probe trap when every check holds (or never, with none), comparing them in the
    /// order given.
    public func setChecks(_ checks: [ProbeCheck], memory: GuestMemory) throws {
        let kept = Array(checks.prefix(Self.maximumChecks))
        if kept.map(\.subject) != self.checks.map(\.subject) {
            try assemble(checking: kept.map(\.subject), cloningLoop: code.clonesLoop, memory: memory)
        }
        for (index, check) in kept.enumerated() {
            try memory.write(Self.littleEndian(0 &- check.expected), at: dataAddress(.firstCheck, offset: index))
        }
        self.checks = kept
    }

    /// No target: the countdown starts this high, which no loop reaches.
    private static let unreachable: UInt64 = 1 << 62

    /// Makes the probe trap at arrival number `count` (counting from the start, not from now),
    /// or at no particular arrival when nil.
    public func setTarget(_ count: UInt64?, memory: GuestMemory) throws {
        try setCounter(count: try self.count(in: memory), target: count, memory: memory)
    }

    /// How many arrivals the probe has counted.
    public func count(in memory: GuestMemory) throws -> UInt64 {
        try memory.readWord(dataAddress(.target)) &- memory.readWord(dataAddress(.remaining))
    }

    public func setCount(_ count: UInt64, memory: GuestMemory) throws {
        let target = try memory.readWord(dataAddress(.target))
        try setCounter(count: count, target: target == Self.unreachable ? nil : target, memory: memory)
    }

    /// The countdown: `target - count` arrivals remain.
    private func setCounter(count: UInt64, target: UInt64?, memory: GuestMemory) throws {
        let end = target.map { max($0, count) } ?? Self.unreachable
        try memory.write(Self.littleEndian(end), at: dataAddress(.target))
        try memory.write(Self.littleEndian(end &- count), at: dataAddress(.remaining))
    }

    private func assemble(checking subjects: [ProbeCheck.Subject], cloningLoop: Bool, memory: GuestMemory) throws {
        let assembled = try ProbeCode(
            window: window, checks: subjects, address: area.codeAddress(ofSlot: slot),
            data: area.dataAddress(ofSlot: slot), cloningLoop: cloningLoop)
        try memory.write(assembled.bytes, at: assembled.start)
        code = assembled
    }

    /// Puts the jump into the program's code (the bytes after it become int3, which nothing
    /// should ever reach). The stub runs a copy of the loop around the window unless one of
    /// `avoiding` (breakpoints, which the copy would not hit) is in that loop.
    public func arm(_ memory: GuestMemory, avoiding addresses: Set<UInt64> = []) throws {
        guard !isArmed else { return }
        let loop = window.loop.map { $0.range(around: window) }
        let cloning = loop.map { range in !addresses.contains { range.contains($0) } } ?? false
        if cloning != code.clonesLoop {
            try assemble(checking: checks.map(\.subject), cloningLoop: cloning, memory: memory)
        }
        let displacement = UInt32(truncatingIfNeeded: code.entry &- (window.start &+ UInt64(ProbeWindow.jumpLength)))
        var patch: [UInt8] = [0xe9] + (0..<4).map { UInt8(truncatingIfNeeded: displacement >> (8 * $0)) }
        patch += [UInt8](repeating: 0xcc, count: original.count - patch.count)
        try memory.write(patch, at: window.start)
        isArmed = true
    }

    /// Puts the program's own code back.
    public func disarm(_ memory: GuestMemory) throws {
        guard isArmed else { return }
        try memory.write(original, at: window.start)
        isArmed = false
    }

    /// Where a thread with `registers` is in the program's terms, if it is inside the stub:
    /// its registers there (rip moved back, rcx and rax restored if the stub had borrowed
    /// them), and whether it has arrived at the probed address with its arrival counted.
    public func programView(of registers: Registers, memory: GuestMemory) throws -> (registers: Registers, arrivalCounted: Bool)? {
        var view = registers
        switch code.location(of: registers.rip) {
        case .outside:
            return nil
        case .copy(let original):
            view.rip = original
            return (view, false)
        case .probed(let counted, let restoreRCX, let restoreRAX):
            view.rip = window.anchor
            if restoreRCX { view.rcx = try memory.readWord(dataAddress(.savedRCX)) }
            if restoreRAX { view.rax = try memory.readWord(dataAddress(.savedRAX)) }
            return (view, counted)
        }
    }

    /// Whether a thread stopped at `rip` hit this probe's target trap or match trap.
    public enum Trap: Equatable {
        case target
        case match
    }

    public func trap(at rip: UInt64) -> Trap? {
        if rip == code.targetTrap &+ 1 { return .target }
        if let match = code.matchTrap, rip == match &+ 1 { return .match }
        return nil
    }

    /// Where a thread at program address `rip` must continue once the probe is armed: the copy
    /// of its instruction in the stub when it stands inside the window, nil when it can run
    /// from where it is.
    public func resumeAddress(for rip: UInt64, arrivalCounted: Bool) -> UInt64? {
        code.resumeAddress(for: rip, window: window, arrivalCounted: arrivalCounted)
    }

    private static func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
