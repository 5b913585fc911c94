/// Why the program stopped, as gdb needs to hear it: the stop reply's signal and reason.
public enum GDBStopReason: Equatable, Sendable {
    /// Before its first instruction, after `start`.
    case start
    /// A single step finished.
    case stepped
    /// At a software breakpoint, with the PC already back on it (gdb must not rewind it).
    case softwareBreakpoint
    /// At a hardware execution breakpoint.
    case hardwareBreakpoint
    /// A data watchpoint triggered on `address`.
    case watchpoint(GDBWatchKind, address: UInt64)
    /// A signal (Linux numbering) is about to be delivered.
    case signal(Int32)
    /// Stopped because `interruptRequested` asked for it.
    case interrupted
    /// There is no more recorded execution forward.
    case endOfHistory
    /// Back at the start: there is no more recorded execution backward.
    case beginOfHistory
}
