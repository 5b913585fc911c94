/// The eflags bits that rrdbg's own stepping sets in a guest thread.
///
/// A thread stopped by a single step or a breakpoint can carry them where the recording did
/// not, so comparisons of a thread's state with a recorded one leave them out.
public enum EFlags {
    /// TF: the CPU traps after the next instruction.
    public static let trap: UInt64 = 0x100
    /// RF: the CPU does not fault on an instruction breakpoint at the next instruction.
    public static let resume: UInt64 = 0x10000
}
