import Glibc
import System

/// rrdbg's own signal dispositions while a guest is recorded.
enum RecorderSignals {
    /// Ctrl-C, SIGTERM and SIGHUP end the recording cleanly instead of killing rrdbg: the
    /// scheduler loop sees the request and completes the trace with every thread's final state,
    /// which is how a hung program is captured. SIGPIPE is ignored so a closed output pipe
    /// cannot kill rrdbg mid-trace. Called after the guest has exec'd, so it does not inherit
    /// these dispositions.
    static func handleWhileRecording() {
        TerminationRequests.install()
        signal(SIGQUIT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
    }
}
