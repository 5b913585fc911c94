/// The accesses a data watchpoint stops after: gdb's `Z2` (write), `Z3` (read) and `Z4`
/// (access).
public enum GDBWatchKind: Equatable, Sendable {
    case write
    case read
    case access
}
