/// A target with hardware execution breakpoints (gdb's `Z1`/`z1`, `hbreak`), announced as
/// `hwbreak+` so that their stops may say `hwbreak`.
public protocol GDBHardwareBreakpoints: GDBDebugTarget {
    func insertHardwareBreakpoint(at address: UInt64) throws(GDBTargetError)

    /// Removes the breakpoint if it is there; gdb is told it is gone either way.
    func removeHardwareBreakpoint(at address: UInt64)
}
