/// What the session tells gdb after a run failed and the target recovered (see
/// `GDBDebugTarget.recover(after:)`).
public enum GDBRecovery: Equatable, Sendable {
    /// The user's interrupt abandoned the run and the program is stopped again, for the reason
    /// given (which `?` reports from then on); gdb hears that it stopped with SIGINT.
    case interrupted(GDBStopReason)
    /// The program cannot go on: gdb hears that it was killed, and may start it again with
    /// `run`.
    case killed
}
