import CGuestShim

/// Ctrl-C, SIGTERM and SIGHUP as requests that a long-running loop polls, instead of signals
/// that kill rrdbg. The handler only counts (it must be async-signal-safe), so it is C.
public enum TerminationRequests {
    /// Installs the counting handler for SIGINT, SIGTERM and SIGHUP.
    public static func install() {
        rrdbg_install_stop_request_handler()
    }

    /// How many requests arrived since `install()`.
    public static var count: Int {
        Int(rrdbg_stop_requests())
    }
}
