import Glibc

/// What an x86 debug register watches.
public enum DebugRegisterCondition: UInt64, Sendable {
    /// Instruction execution at the address (a hardware breakpoint).
    case execute = 0b00
    /// Data writes.
    case write = 0b01
    /// Data reads or writes (x86 has no read-only condition).
    case readWrite = 0b11
}

/// One armed debug register.
public struct DebugRegisterSlot: Equatable, Sendable {
    public var address: UInt64
    /// 1, 2, 4 or 8 bytes; 1 for execute breakpoints.
    public var length: Int
    public var condition: DebugRegisterCondition

    public init(address: UInt64, length: Int, condition: DebugRegisterCondition) {
        self.address = address
        self.length = length
        self.condition = condition
    }
}

/// The x86 debug registers DR0-DR3, DR6 and DR7 of a stopped thread, written through
/// `PTRACE_POKEUSER` at `offsetof(struct user, u_debugreg)`. They give hardware breakpoints and
/// data watchpoints that trap in the guest itself at full speed.
extension StoppedThread {
    /// `offsetof(struct user, u_debugreg)` on x86-64.
    static let debugRegisterOffset: UInt64 = 848

    /// Arms up to four slots (index = DR number) and disarms the rest.
    public func setDebugRegisters(_ slots: [DebugRegisterSlot?]) throws {
        precondition(slots.count <= 4)
        var control: UInt64 = 0
        try pokeDebugRegister(7, 0)
        for (index, slot) in slots.enumerated() {
            guard let slot else { continue }
            try pokeDebugRegister(index, slot.address)
            let lengthBits: UInt64
            switch slot.length {
            case 2: lengthBits = 0b01
            case 8: lengthBits = 0b10
            case 4: lengthBits = 0b11
            default: lengthBits = 0b00
            }
            let shift = UInt64(16 + index * 4)
            control |= (1 << UInt64(index * 2)) | (slot.condition.rawValue << shift) | (lengthBits << (shift + 2))
        }
        try pokeDebugRegister(7, control)
    }

    /// Which of DR0-DR3 triggered the last debug trap (DR6 bits 0-3), clearing DR6.
    public func takeTriggeredDebugRegisters() throws -> [Int] {
        errno = 0
        let status = try Ptrace.call(.peekUser, tid, StoppedThread.debugRegisterOffset + 6 * 8)
        if status & 0xf != 0 { try pokeDebugRegister(6, 0) }
        return (0..<4).filter { status & (1 << $0) != 0 }
    }

    private func pokeDebugRegister(_ number: Int, _ value: UInt64) throws {
        try Ptrace.call(.pokeUser, tid, StoppedThread.debugRegisterOffset + UInt64(number) * 8, value)
    }
}
