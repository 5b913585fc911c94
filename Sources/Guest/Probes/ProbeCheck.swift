/// A general-purpose register by its x86 encoding number, which is how probe code names it.
public enum GeneralRegister: UInt8, CaseIterable, Sendable {
    case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15

    /// Its index in `Registers.values` (the kernel's `user_regs_struct` order).
    public var registersIndex: Int {
        switch self {
        case .rax: return 10
        case .rcx: return 11
        case .rdx: return 12
        case .rbx: return 5
        case .rsp: return 19
        case .rbp: return 4
        case .rsi: return 13
        case .rdi: return 14
        case .r8: return 9
        case .r9: return 8
        case .r10: return 7
        case .r11: return 6
        case .r12: return 3
        case .r13: return 2
        case .r14: return 1
        case .r15: return 0
        }
    }
}

/// One comparison a probe makes, in the guest, each time execution arrives at its address: a
/// register, or an 8-byte word of memory, against an expected value.
///
/// A probe traps to rrdbg only when every comparison holds, so the comparisons that tell the
/// wanted pass from the others quickest (a loop counter, say) go first: the rest are skipped on
/// every other pass.
public struct ProbeCheck: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        case register(GeneralRegister)
        /// The 8 bytes at this address.
        case word(UInt64)
    }

    public var subject: Subject
    public var expected: UInt64

    public init(_ subject: Subject, expected: UInt64) {
        self.subject = subject
        self.expected = expected
    }
}
