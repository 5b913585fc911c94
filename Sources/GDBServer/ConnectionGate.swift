import Glibc

/// Decides which connections to a `GDBListener` become the gdb session.
///
/// A replay shows everything the trace holds (the program's files, its memory, its recorded
/// environment with any secrets in it), and the stub serves a single session. So by default
/// only the user running rrdbg may connect, and a connection must prove it speaks gdb's
/// protocol with a valid packet within a few seconds. Anything else is closed with a message,
/// and the gate goes on listening: neither another user nor a port scan nor an idle connection
/// can take the stub from the gdb it waits for.
public final class ConnectionGate {
    /// Who may connect.
    public enum Admission: Sendable {
        /// Only sockets owned by this user id.
        case user(uid_t)
        /// Anyone who reaches the listener (`--allow-remote`).
        case anyone
    }

    private let listener: any GDBListener
    private let admission: Admission
    private let firstPacketTimeout: Double
    private let diagnostics: (String) -> Void

    /// `firstPacketTimeout` is how long a connection may stay silent; gdb sends its first
    /// packet at once.
    public init(
        listener: any GDBListener, admission: Admission = .user(getuid()), firstPacketTimeout: Double = 5,
        diagnostics: @escaping (String) -> Void
    ) {
        self.listener = listener
        self.admission = admission
        self.firstPacketTimeout = firstPacketTimeout
        self.diagnostics = diagnostics
    }

    /// Waits for a connection that may become the session, closing the others.
    public func nextConnection() throws -> SocketConnection {
        while true {
            let connection = try listener.accept()
            if case .user(let expected) = admission, connection.peerUserID != expected {
                let owner = connection.peerUserID.map { "uid \($0)" } ?? "an unknown user"
                diagnostics("rrdbg: refused a gdb connection from \(connection.peerDescription): it belongs to \(owner), "
                    + "and only uid \(expected), who runs this replay, may connect\n")
                connection.close()
                continue
            }
            guard connection.awaitFirstPacket(within: firstPacketTimeout) else {
                diagnostics("rrdbg: closed a connection from \(connection.peerDescription) that sent no gdb packet "
                    + "within \(Int(firstPacketTimeout.rounded(.up))) s\n")
                connection.close()
                continue
            }
            return connection
        }
    }
}
