/// A general-purpose register by its x86 encoding number, which is how machine code names it.
///
/// Probes are machine code that compares registers, so they name registers this way; the
/// mapping to `RegisterName` lets those comparisons be checked against ptrace's registers.
public enum GeneralRegister: UInt8, CaseIterable, Sendable {
    case rax = 0, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15

    /// The same register by its name in the kernel's `user_regs_struct`.
    public var registerName: RegisterName {
        switch self {
        case .rax: .rax
        case .rcx: .rcx
        case .rdx: .rdx
        case .rbx: .rbx
        case .rsp: .rsp
        case .rbp: .rbp
        case .rsi: .rsi
        case .rdi: .rdi
        case .r8: .r8
        case .r9: .r9
        case .r10: .r10
        case .r11: .r11
        case .r12: .r12
        case .r13: .r13
        case .r14: .r14
        case .r15: .r15
        }
    }
}
