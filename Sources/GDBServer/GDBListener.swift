/// Where gdb connects to the stub: a loopback TCP port (`TCPListener`) or a Unix socket
/// (`UnixSocketListener`). `ConnectionGate` decides which connections become sessions.
public protocol GDBListener: AnyObject {
    /// What gdb's `target extended-remote` takes to reach this listener.
    var address: String { get }

    /// Waits for the next connection, and finds out whose it is.
    func accept() throws -> SocketConnection
}
