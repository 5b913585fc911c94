/// One of the 27 general registers of x86-64 Linux, the fields of `struct user_regs_struct`.
///
/// The guest kernel reads them through ptrace, the trace stores them, replay compares them and
/// gdb shows them; this is the one place that names them, so no layer indexes a register by a
/// bare number. A case's raw value is its field's position in `user_regs_struct`, which is also
/// its position in a trace's register file and its bit in a register delta's mask: the order
/// is part of the trace format and must never change.
public enum RegisterName: Int, CaseIterable, Sendable, LosslessStringConvertible {
    case r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, origRax, rip, cs
    case eflags, rsp, ss, fsBase, gsBase, ds, es, fs, gs

    /// The kernel's names, which gdb uses too, in case order.
    private static let names = [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
        "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds",
        "es", "fs", "gs",
    ]

    /// The registers that carry a syscall's six arguments, in argument order.
    public static let syscallArguments: [RegisterName] = [.rdi, .rsi, .rdx, .r10, .r8, .r9]

    /// The register the kernel (and gdb) calls `description`: `rax`, `orig_rax`, `fs_base`.
    public init?(_ description: String) {
        guard let index = Self.names.firstIndex(of: description) else { return nil }
        self.init(rawValue: index)
    }

    /// The kernel's name, as diagnostics show it.
    public var description: String { Self.names[rawValue] }
}
