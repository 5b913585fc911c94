/// Why a replay under a debugger stopped.
public enum DebugStop: Equatable, Sendable {
    /// At the program's first instruction, before anything ran.
    case start
    /// A single step finished.
    case stepped
    /// A software breakpoint (int3) at this address; the PC has been put back on it.
    case softwareBreakpoint(UInt64)
    /// A hardware execution breakpoint at this address.
    case hardwareBreakpoint(UInt64)
    /// A data watchpoint triggered by the instruction just executed.
    case watchpoint(WatchKind, UInt64)
    /// A recorded signal is about to be delivered.
    case signal(Int32)
    /// The debugger asked the replay to stop (Ctrl-C).
    case interrupted
    /// The next event ends the program: there is no more recorded execution forward.
    case endOfHistory
    /// Back at the program's first instruction: there is no more recorded execution backward.
    case beginOfHistory
    /// At a place reverse execution was looking for (never reported to gdb as such).
    case arrived
}

/// The kinds of data watchpoint gdb asks for.
public enum WatchKind: Sendable {
    case write
    case read
    case access
}
