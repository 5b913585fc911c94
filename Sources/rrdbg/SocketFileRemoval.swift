import Glibc

/// Removes the stub's Unix socket when SIGTERM or SIGHUP ends rrdbg, which skips the
/// listener's own cleanup: a stale file would make the next `--socket` at that path fail.
enum SocketFileRemoval {
    /// The path, kept as a C string so the signal handler neither allocates nor locks.
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?

    /// Installs the handlers; the signal then ends rrdbg as it would have without them.
    static func onTerminationSignals(remove socketPath: String) {
        path = strdup(socketPath)
        for number in [SIGTERM, SIGHUP] {
            signal(number) { received in
                if let path = SocketFileRemoval.path { unlink(path) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
