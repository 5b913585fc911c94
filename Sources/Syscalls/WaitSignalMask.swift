/// Where a descriptor wait (`ppoll`, `pselect6`, `epoll_pwait`) finds the signal mask it
/// installs while it waits.
///
/// Replay needs it when a signal interrupted such a call: emulating the call would leave the
/// thread's normal mask in place, under which the recorded signal may be blocked.
public enum WaitSignalMask: Equatable, Sendable {
    /// The mask's address and size are the arguments `address` and `size`.
    case arguments(address: Int, size: Int)
    /// Argument `pairArgument` points to `{ const sigset_t *ss; size_t ss_len; }` (`pselect6`).
    case pair(atArgument: Int)
}
