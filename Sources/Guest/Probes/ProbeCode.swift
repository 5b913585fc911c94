import X86Registers

/// The machine code of a probe's stub, written into guest memory next to its data.
///
/// The program's jump at the window start lands at `entry`. The stub runs the copies of the
/// window's instructions before the probed one, then, at the probed instruction, counts the
/// arrival and traps (int3) when the count reaches a target or when every `ProbeCheck` holds;
/// otherwise it runs the copies of the probed instruction and the rest of the window, and
/// jumps back behind the window. With `cloningLoop`, the stub holds a copy of the whole loop
/// around the window (`ProbeWindow.loop`), whose back edge jumps to the copy: the thread then
/// stays in the stub while it loops, and pays no jump into and out of it on every pass.
///
/// It changes nothing the program can see: only `mov`, `lea`, `movabs`, `jrcxz` and `jmp`,
/// none of which touches the flags; `rcx` and `rax` are used as scratch and restored from the
/// data area (never from the stack, whose red zone the program may be using).
public struct ProbeCode: Sendable {
    /// Data slots, 8 bytes each, from the data address.
    public enum Slot: Int {
        case savedRCX = 0, savedRAX
        /// Arrivals left until the target trap: counting down saves a compare on every pass.
        case remaining
        /// The target the countdown runs to (written and read by rrdbg only).
        case target
        /// The negated expected value of check N is in slot `firstCheck + N`.
        case firstCheck
    }

    public let bytes: [UInt8]
    /// Where the bytes go.
    public let start: UInt64
    /// Where the program's jump lands.
    public let entry: UInt64
    /// Where the arrival at the probed instruction is counted and checked.
    public let check: UInt64
    /// The copy of the probed instruction: where a thread whose arrival was counted resumes.
    public let resume: UInt64
    /// The int3 of a matching state (when there are checks), and of the target count.
    public let matchTrap: UInt64?
    public let targetTrap: UInt64
    /// Each copied instruction: its original address and the copy's.
    public let copies: [(original: UInt64, copy: UInt64)]
    /// The address right after the stub's code.
    public let end: UInt64
    /// Whether the stub holds a copy of the loop around the window.
    public let clonesLoop: Bool
    /// Code addresses past the save of rcx and past the countdown's store, for translating a
    /// thread interrupted inside the check.
    let savedRCXAfter: UInt64
    let countedAfter: UInt64
    /// Where rax holds a scratch value (its own is in its slot).
    let scratchRAX: [Range<UInt64>]
    /// The checks after the first, behind the copied instructions (empty without checks).
    let laterChecks: Range<UInt64>

    /// Assembles the stub for `window` at `address` with its data at `data`, comparing
    /// `checks` (in order) when there are any.
    ///
    /// On the common pass (the countdown not at zero, the first check failing) no jump is taken
    /// between the program's jump into the stub and the copied instructions: the first check
    /// falls through into them, and the other checks sit after them.
    public init(window: ProbeWindow, checks: [ProbeCheck.Subject], address: UInt64, data: UInt64, cloningLoop: Bool = true) throws {
        let loop = cloningLoop ? window.loop : nil
        // Copies' addresses do not depend on where jumps go (every jump is re-encoded with a
        // 32-bit displacement), so a first pass finds them and a second one uses them.
        let draft = try Layout(window: window, loop: loop, checks: checks, address: address, data: data, copyOf: [:])
        let layout = try Layout(window: window, loop: loop, checks: checks, address: address, data: data, copyOf: draft.internalTargets)
        bytes = layout.bytes
        start = address
        entry = layout.entry
        check = layout.check
        resume = layout.resume
        matchTrap = layout.matchTrap
        targetTrap = layout.targetTrap
        copies = layout.copies
        end = layout.end
        clonesLoop = loop != nil
        savedRCXAfter = layout.savedRCXAfter
        countedAfter = layout.countedAfter
        scratchRAX = layout.scratchRAX
        laterChecks = layout.laterChecks
    }

    /// One assembly of a stub.
    private struct Layout {
        var bytes: [UInt8] = []
        var entry: UInt64 = 0
        var check: UInt64 = 0
        var resume: UInt64 = 0
        var matchTrap: UInt64?
        var targetTrap: UInt64 = 0
        var copies: [(original: UInt64, copy: UInt64)] = []
        var end: UInt64 = 0
        var savedRCXAfter: UInt64 = 0
        var countedAfter: UInt64 = 0
        var scratchRAX: [Range<UInt64>] = []
        var laterChecks: Range<UInt64> = 0..<0
        /// Where jumps inside the copied loop go: the copy of each instruction, and for the
        /// probed instruction the check, so that every pass is counted.
        var internalTargets: [UInt64: UInt64] = [:]

        init(
            window: ProbeWindow, loop: ProbeWindow.Loop?, checks: [ProbeCheck.Subject], address: UInt64, data: UInt64,
            copyOf targets: [UInt64: UInt64]
        ) throws {
            var code = Assembler(origin: address)
            func slot(_ slot: Slot, _ offset: Int = 0) -> UInt64 { data &+ UInt64((slot.rawValue + offset) * 8) }
            var copies: [(UInt64, UInt64)] = []
            func copy(_ instruction: X86Instruction) throws {
                copies.append((instruction.address, code.here))
                try code.relocated(instruction, redirecting: targets)
            }
            // The target's trap comes first, so that the countdown reaches it with a short jrcxz
            // backwards, which is not taken on every other pass.
            code.label("target")
            code.load(.rcx, slot(.savedRCX))
            targetTrap = code.here
            code.trap()
            code.jump(to: "resume")
            // A copied loop starts on a cache line of its own, as compilers align loops.
            if loop != nil { code.pad(toMultipleOf: 64) }
            for instruction in loop?.head ?? [] { try copy(instruction) }
            entry = code.here
            for instruction in window.instructions[..<window.anchorIndex] { try copy(instruction) }
            check = code.here
            code.store(.rcx, slot(.savedRCX))
            savedRCXAfter = code.here
            code.load(.rcx, slot(.remaining))
            code.decrementRCX()
            code.store(.rcx, slot(.remaining))
            countedAfter = code.here
            code.jumpIfRCXZero(to: "target")
            var scratchRAX: [Range<UInt64>] = []
            var raxSaved = false
            /// Emits check `index`, leaving rcx zero when it holds; returns where rax started
            /// to hold a scratch value, for checks that use it.
            func compare(_ index: Int) -> UInt64? {
                let subject = checks[index]
                let usesRAX: Bool
                switch subject {
                case .register(.rcx), .word: usesRAX = true
                case .register: usesRAX = false
                }
                if usesRAX && !raxSaved {
                    code.store(.rax, slot(.savedRAX))
                    raxSaved = true
                }
                let clobbered = code.here
                code.compare(subject, negatedExpected: slot(.firstCheck, index), savedRCX: slot(.savedRCX))
                return usesRAX ? clobbered : nil
            }
            /// Puts the program's rax back after a check that used it.
            func restoreRAX(clobberedAt start: UInt64) {
                code.load(.rax, slot(.savedRAX))
                scratchRAX.append(start..<code.here)
            }
            var firstClobber: UInt64?
            if !checks.isEmpty {
                firstClobber = compare(0)
                code.jumpIfRCXZero(to: "more")
                if let firstClobber { restoreRAX(clobberedAt: firstClobber) }
            }
            code.load(.rcx, slot(.savedRCX))
            code.label("resume")
            resume = code.here
            for instruction in window.instructions[window.anchorIndex...] { try copy(instruction) }
            for instruction in loop?.tail ?? [] { try copy(instruction) }
            let exit = loop?.tail.last?.end ?? window.end
            copies.append((exit, code.here))
            try code.jump(toAbsolute: exit)
            let later = code.here
            if checks.isEmpty {
                matchTrap = nil
            } else {
                code.label("more")
                if firstClobber != nil { restoreRAX(clobberedAt: code.here) }
                for index in checks.indices.dropFirst() {
                    let clobbered = compare(index)
                    code.jumpIfRCXNotZero(to: raxSaved ? "mismatchRAX" : "mismatch")
                    if let clobbered { restoreRAX(clobberedAt: clobbered) }
                }
                code.load(.rcx, slot(.savedRCX))
                matchTrap = code.here
                code.trap()
                code.jump(to: "resume")
                code.label("mismatchRAX")
                restoreRAX(clobberedAt: code.here)
                code.label("mismatch")
                code.load(.rcx, slot(.savedRCX))
                code.jump(to: "resume")
            }
            end = code.here
            laterChecks = later..<end
            bytes = try code.finish()
            self.copies = copies
            self.scratchRAX = scratchRAX
            if loop != nil {
                for (original, copy) in copies.dropLast() { internalTargets[original] = copy }
                internalTargets[window.anchor] = check
            }
        }
    }

    /// Where a thread stopped at `rip` (inside the stub) is in the program's terms.
    public enum Location: Equatable, Sendable {
        /// Not in this stub.
        case outside
        /// At the copy of the instruction at `original`, not yet executed.
        case copy(original: UInt64)
        /// At the probed instruction, arrived; `counted` once the arrival has been counted.
        /// `rcx` and `rax` must be taken from their slots if `restoreRCX`/`restoreRAX`.
        case probed(counted: Bool, restoreRCX: Bool, restoreRAX: Bool)
    }

    public func location(of rip: UInt64) -> Location {
        guard rip >= start, rip < end else { return .outside }
        if rip == targetTrap &+ 1 || rip == resume || matchTrap.map({ rip == $0 &+ 1 }) == true {
            return .probed(counted: true, restoreRCX: false, restoreRAX: false)
        }
        if rip <= targetTrap {
            return .probed(counted: true, restoreRCX: true, restoreRAX: false)
        }
        let checking = (check..<resume).contains(rip) || laterChecks.contains(rip)
        if let copy = copies.first(where: { $0.copy == rip }), !checking {
            return .copy(original: copy.original)
        }
        if checking {
            return .probed(
                counted: rip >= countedAfter, restoreRCX: rip >= savedRCXAfter,
                restoreRAX: scratchRAX.contains { $0.contains(rip) })
        }
        // Inside a copied instruction (a fault mid-way reports its start, so this is not seen).
        return .outside
    }

    /// Where a thread at program address `rip` continues in the stub while the window is
    /// patched: the copy of its instruction, or nil if `rip` is outside the window (or at its
    /// start, where the patched jump leads into the stub anyway).
    public func resumeAddress(for rip: UInt64, window: ProbeWindow, arrivalCounted: Bool) -> UInt64? {
        if rip == window.anchor { return arrivalCounted ? resume : (rip == window.start ? nil : check) }
        guard rip > window.start, rip < window.end else { return nil }
        return copies.first { $0.original == rip && ($0.copy < check || $0.copy >= resume) }?.copy
    }
}

/// A probe's instructions could not be assembled (a copy's target is out of reach).
public struct ProbeAssemblyError: Error, CustomStringConvertible {
    public var description: String
}

/// Emits the few instruction forms probe stubs use, with forward labels.
private struct Assembler {
    let origin: UInt64
    private(set) var bytes: [UInt8] = []
    private var labels: [String: Int] = [:]
    private var fixups: [(at: Int, label: String, size: Int)] = []

    init(origin: UInt64) {
        self.origin = origin
    }

    var here: UInt64 { origin &+ UInt64(bytes.count) }

    mutating func label(_ name: String) {
        labels[name] = bytes.count
    }

    /// `mov [rip+disp32], reg` for rcx or rax.
    mutating func store(_ register: GeneralRegister, _ address: UInt64) {
        ripRelative(opcode: 0x89, register: register, address)
    }

    /// `mov reg, [rip+disp32]` for rcx or rax.
    mutating func load(_ register: GeneralRegister, _ address: UInt64) {
        ripRelative(opcode: 0x8b, register: register, address)
    }

    private mutating func ripRelative(opcode: UInt8, register: GeneralRegister, _ address: UInt64) {
        precondition(register.rawValue < 8)
        bytes += [0x48, opcode, 0x05 | (register.rawValue << 3)]
        let displacement = Int64(bitPattern: address &- (here &+ 4))
        precondition(Int64(Int32.min)...Int64(Int32.max) ~= displacement, "probe data out of reach of its code")
        appendLittleEndian(UInt32(truncatingIfNeeded: displacement), count: 4)
    }

    /// `lea rcx, [rcx-1]`.
    mutating func decrementRCX() {
        bytes += [0x48, 0x8d, 0x49, 0xff]
    }

    /// `lea rcx, [rcx+reg]` (with rsp, `lea rcx, [rsp+rcx]`, since rsp cannot be an index).
    mutating func addToRCX(_ register: GeneralRegister) {
        if register == .rsp {
            bytes += [0x48, 0x8d, 0x0c, 0x0c]
        } else {
            bytes += [0x48 | (register.rawValue >= 8 ? 0x02 : 0), 0x8d, 0x0c, ((register.rawValue & 7) << 3) | 1]
        }
    }

    /// `movabs rax, [address]`.
    mutating func loadRAX(absolute address: UInt64) {
        bytes += [0x48, 0xa1]
        appendLittleEndian(address, count: 8)
    }

    /// Computes rcx = (value of `subject`) - (expected value, whose negation is at
    /// `negatedExpected`): zero when the check holds. Leaves rax clobbered for the word and rcx
    /// checks.
    mutating func compare(_ subject: ProbeCheck.Subject, negatedExpected: UInt64, savedRCX: UInt64) {
        switch subject {
        case .register(.rcx):
            load(.rcx, savedRCX)
            load(.rax, negatedExpected)
            addToRCX(.rax)
        case .register(let register):
            load(.rcx, negatedExpected)
            addToRCX(register)
        case .word(let address):
            loadRAX(absolute: address)
            load(.rcx, negatedExpected)
            addToRCX(.rax)
        }
    }

    /// Jumps to `label` unless rcx is zero: `jrcxz +5; jmp label`.
    mutating func jumpIfRCXNotZero(to label: String) {
        bytes += [0xe3, 0x05]
        jump(to: label)
    }

    /// int3 bytes (never executed) up to the next multiple of `alignment`.
    mutating func pad(toMultipleOf alignment: UInt64) {
        while here % alignment != 0 { bytes.append(0xcc) }
    }

    mutating func trap() {
        bytes.append(0xcc)
    }

    /// `jrcxz label`, which must be within 127 bytes.
    mutating func jumpIfRCXZero(to label: String) {
        bytes += [0xe3, 0]
        fixups.append((bytes.count - 1, label, 1))
    }

    /// `jmp label` with a 32-bit displacement.
    mutating func jump(to label: String) {
        bytes.append(0xe9)
        fixups.append((bytes.count, label, 4))
        bytes += [0, 0, 0, 0]
    }

    /// `jmp target` with a 32-bit displacement.
    mutating func jump(toAbsolute target: UInt64) throws {
        bytes.append(0xe9)
        try appendDisplacement(to: target, after: here &+ 4)
    }

    /// A copy of `instruction` that does at this address what the original does at its own;
    /// jumps to an address in `redirecting` go to the address it maps to instead.
    mutating func relocated(_ instruction: X86Instruction, redirecting: [UInt64: UInt64]) throws {
        switch instruction.flow {
        case .jump(let target):
            try jump(toAbsolute: redirecting[target] ?? target)
        case .conditionalJump(let target, let condition):
            bytes += [0x0f, 0x80 | condition]
            try appendDisplacement(to: redirecting[target] ?? target, after: here &+ 4)
        case .next:
            var copy = instruction.bytes
            if let offset = instruction.ripDisplacementOffset {
                let original = Int64(Int32(bitPattern: UInt32(copy[offset]) | UInt32(copy[offset + 1]) << 8
                    | UInt32(copy[offset + 2]) << 16 | UInt32(copy[offset + 3]) << 24))
                let target = Int64(bitPattern: instruction.end) &+ original
                let moved = target &- Int64(bitPattern: here &+ UInt64(copy.count))
                guard Int64(Int32.min)...Int64(Int32.max) ~= moved else {
                    throw ProbeAssemblyError(description: "the operand of the instruction at 0x\(String(instruction.address, radix: 16)) is out of reach of the probe")
                }
                for index in 0..<4 { copy[offset + index] = UInt8(truncatingIfNeeded: moved >> (8 * index)) }
            }
            bytes += copy
        case .call, .indirect, .shortOnlyBranch:
            throw ProbeAssemblyError(description: "the instruction at 0x\(String(instruction.address, radix: 16)) cannot be moved")
        }
    }

    private mutating func appendDisplacement(to target: UInt64, after next: UInt64) throws {
        let displacement = Int64(bitPattern: target &- next)
        guard Int64(Int32.min)...Int64(Int32.max) ~= displacement else {
            throw ProbeAssemblyError(description: "0x\(String(target, radix: 16)) is out of reach of the probe")
        }
        appendLittleEndian(UInt32(truncatingIfNeeded: displacement), count: 4)
    }

    private mutating func appendLittleEndian(_ value: UInt64, count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    private mutating func appendLittleEndian(_ value: UInt32, count: Int) {
        appendLittleEndian(UInt64(value), count: count)
    }

    /// The bytes, with every label reference resolved.
    func finish() throws -> [UInt8] {
        var resolved = bytes
        for fixup in fixups {
            guard let target = labels[fixup.label] else {
                throw ProbeAssemblyError(description: "probe code refers to a missing label \(fixup.label)")
            }
            let displacement = target - (fixup.at + fixup.size)
            if fixup.size == 1 {
                guard Int(Int8.min)...Int(Int8.max) ~= displacement else {
                    throw ProbeAssemblyError(description: "probe code's short jump to \(fixup.label) is too far")
                }
                resolved[fixup.at] = UInt8(bitPattern: Int8(displacement))
            } else {
                for index in 0..<4 { resolved[fixup.at + index] = UInt8(truncatingIfNeeded: displacement >> (8 * index)) }
            }
        }
        return resolved
    }
}
