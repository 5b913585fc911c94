/// A target with data watchpoints (gdb's `Z2`-`Z4`). Without it gdb falls back to software
/// watchpoints, which single-step the program.
public protocol GDBWatchpoints: GDBDebugTarget {
    /// Watches `length` bytes at `address` (gdb's `kind` field, unchecked).
    func insertWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64) throws(GDBTargetError)

    /// Removes the watchpoint if it is there; gdb is told it is gone either way.
    func removeWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64)
}
