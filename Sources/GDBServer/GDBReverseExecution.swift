/// A target that runs backwards: gdb's `reverse-continue` (`bc`) and `reverse-stepi` (`bs`),
/// announced as `ReverseContinue+` and `ReverseStep+`.
public protocol GDBReverseExecution: GDBDebugTarget {
    /// Runs backwards to the previous breakpoint or watchpoint hit, or to the start
    /// (`.beginOfHistory`).
    func reverseContinue() throws -> GDBStopReason

    /// Goes back one instruction.
    func reverseStep() throws -> GDBStopReason
}
