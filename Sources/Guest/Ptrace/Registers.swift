import CGuestShim
import Glibc
import Syscalls
import X86Registers

/// A guest thread's general-purpose registers (`struct user_regs_struct`).
///
/// `values` gives them as 27 numbers in `RegisterName` order, the kernel's, which is also the
/// order the trace stores them in, so record and replay compare registers field by field.
public struct Registers: Equatable, Sendable {
    public var values: [UInt64]

    public init(values: [UInt64]) {
        precondition(values.count == RegisterName.allCases.count)
        self.values = values
    }

    init(_ raw: user_regs_struct) {
        values = RegisterName.allCases.map { raw[keyPath: $0.field] }
    }

    var raw: user_regs_struct {
        var raw = user_regs_struct()
        for name in RegisterName.allCases { raw[keyPath: name.field] = self[name] }
        return raw
    }

    public subscript(_ name: RegisterName) -> UInt64 {
        get { values[name.rawValue] }
        set { values[name.rawValue] = newValue }
    }

    public var rax: UInt64 { get { self[.rax] } set { self[.rax] = newValue } }
    public var rbx: UInt64 { get { self[.rbx] } set { self[.rbx] = newValue } }
    public var rcx: UInt64 { get { self[.rcx] } set { self[.rcx] = newValue } }
    public var rdx: UInt64 { get { self[.rdx] } set { self[.rdx] = newValue } }
    public var rsi: UInt64 { get { self[.rsi] } set { self[.rsi] = newValue } }
    public var rdi: UInt64 { get { self[.rdi] } set { self[.rdi] = newValue } }
    public var r10: UInt64 { get { self[.r10] } set { self[.r10] = newValue } }
    public var r8: UInt64 { get { self[.r8] } set { self[.r8] = newValue } }
    public var r9: UInt64 { get { self[.r9] } set { self[.r9] = newValue } }
    public var origRax: UInt64 { get { self[.origRax] } set { self[.origRax] = newValue } }
    public var rip: UInt64 { get { self[.rip] } set { self[.rip] = newValue } }
    public var rsp: UInt64 { get { self[.rsp] } set { self[.rsp] = newValue } }

    /// The syscall number at a syscall stop.
    public var syscallNumber: Int { Int(Int64(bitPattern: origRax)) }

    /// The call at a syscall stop, if x86-64 has one with that number.
    public var syscall: Syscall? { Syscall(rawValue: syscallNumber) }

    /// The six syscall arguments: rdi, rsi, rdx, r10, r8, r9.
    public var syscallArguments: [UInt64] {
        get { RegisterName.syscallArguments.map { self[$0] } }
        set {
            for (index, name) in RegisterName.syscallArguments.enumerated() { self[name] = newValue[index] }
        }
    }

    /// The syscall result at a syscall-exit stop, as the guest sees it.
    public var syscallResult: Int64 { Int64(bitPattern: rax) }
}

extension RegisterName {
    /// The register's field in the kernel's struct.
    var field: WritableKeyPath<user_regs_struct, UInt64> {
        switch self {
        case .r15: \.r15
        case .r14: \.r14
        case .r13: \.r13
        case .r12: \.r12
        case .rbp: \.rbp
        case .rbx: \.rbx
        case .r11: \.r11
        case .r10: \.r10
        case .r9: \.r9
        case .r8: \.r8
        case .rax: \.rax
        case .rcx: \.rcx
        case .rdx: \.rdx
        case .rsi: \.rsi
        case .rdi: \.rdi
        case .origRax: \.orig_rax
        case .rip: \.rip
        case .cs: \.cs
        case .eflags: \.eflags
        case .rsp: \.rsp
        case .ss: \.ss
        case .fsBase: \.fs_base
        case .gsBase: \.gs_base
        case .ds: \.ds
        case .es: \.es
        case .fs: \.fs
        case .gs: \.gs
        }
    }
}
