import Glibc

/// rrdbg's own signal dispositions while a guest is recorded.
enum RecorderSignals {
    /// Terminal signals (Ctrl-C, Ctrl-\) reach the guest, which shares the terminal, and are
    /// recorded there; rrdbg itself must survive them to finish the trace. Called after the guest
    /// has exec'd, so the guest does not inherit the ignored dispositions.
    static func ignoreWhileRecording() {
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
    }
}
