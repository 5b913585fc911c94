import CGuestShim
import Glibc
import Syscalls

/// A guest thread's general-purpose registers (`struct user_regs_struct`).
///
/// `values` gives them as 27 numbers in the kernel's order, which is also the order the trace
/// stores them in, so record and replay compare registers field by field.
public struct Registers: Equatable, Sendable {
    public static let names = [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
        "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds",
        "es", "fs", "gs",
    ]

    public var values: [UInt64]

    public init(values: [UInt64]) {
        precondition(values.count == Registers.names.count)
        self.values = values
    }

    init(_ raw: user_regs_struct) {
        values = [
            raw.r15, raw.r14, raw.r13, raw.r12, raw.rbp, raw.rbx, raw.r11, raw.r10, raw.r9, raw.r8,
            raw.rax, raw.rcx, raw.rdx, raw.rsi, raw.rdi, raw.orig_rax, raw.rip, raw.cs, raw.eflags,
            raw.rsp, raw.ss, raw.fs_base, raw.gs_base, raw.ds, raw.es, raw.fs, raw.gs,
        ].map { UInt64($0) }
    }

    var raw: user_regs_struct {
        var raw = user_regs_struct()
        raw.r15 = values[0]; raw.r14 = values[1]; raw.r13 = values[2]; raw.r12 = values[3]
        raw.rbp = values[4]; raw.rbx = values[5]; raw.r11 = values[6]; raw.r10 = values[7]
        raw.r9 = values[8]; raw.r8 = values[9]; raw.rax = values[10]; raw.rcx = values[11]
        raw.rdx = values[12]; raw.rsi = values[13]; raw.rdi = values[14]; raw.orig_rax = values[15]
        raw.rip = values[16]; raw.cs = values[17]; raw.eflags = values[18]; raw.rsp = values[19]
        raw.ss = values[20]; raw.fs_base = values[21]; raw.gs_base = values[22]; raw.ds = values[23]
        raw.es = values[24]; raw.fs = values[25]; raw.gs = values[26]
        return raw
    }

    public var rax: UInt64 { get { values[10] } set { values[10] = newValue } }
    public var rbx: UInt64 { get { values[5] } set { values[5] = newValue } }
    public var rcx: UInt64 { get { values[11] } set { values[11] = newValue } }
    public var rdx: UInt64 { get { values[12] } set { values[12] = newValue } }
    public var rsi: UInt64 { get { values[13] } set { values[13] = newValue } }
    public var rdi: UInt64 { get { values[14] } set { values[14] = newValue } }
    public var r10: UInt64 { get { values[7] } set { values[7] = newValue } }
    public var r8: UInt64 { get { values[9] } set { values[9] = newValue } }
    public var r9: UInt64 { get { values[8] } set { values[8] = newValue } }
    public var origRax: UInt64 { get { values[15] } set { values[15] = newValue } }
    public var rip: UInt64 { get { values[16] } set { values[16] = newValue } }
    public var rsp: UInt64 { get { values[19] } set { values[19] = newValue } }

    /// The syscall number at a syscall stop.
    public var syscallNumber: Int { Int(Int64(bitPattern: origRax)) }

    /// The call at a syscall stop, if x86-64 has one with that number.
    public var syscall: Syscall? { Syscall(rawValue: syscallNumber) }

    /// The six syscall arguments: rdi, rsi, rdx, r10, r8, r9.
    public var syscallArguments: [UInt64] {
        get { [rdi, rsi, rdx, r10, r8, r9] }
        set {
            rdi = newValue[0]; rsi = newValue[1]; rdx = newValue[2]
            r10 = newValue[3]; r8 = newValue[4]; r9 = newValue[5]
        }
    }

    /// The syscall result at a syscall-exit stop, as the guest sees it.
    public var syscallResult: Int64 { Int64(bitPattern: rax) }
}
