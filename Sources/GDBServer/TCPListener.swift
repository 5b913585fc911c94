import Glibc
import System

/// The gdb stub's listening TCP socket.
///
/// rrdbg listens on 127.0.0.1 unless told otherwise: a replay shows everything the program read,
/// so the stub should not be reachable from other machines by default. On loopback the owner of
/// each connecting socket is known (`SocketOwnerTable`), so `ConnectionGate` can admit only the
/// user who started the replay.
public final class TCPListener: GDBListener {
    private let fd: Int32
    /// The port actually bound (useful when 0 asked for any free port).
    public let port: UInt16
    public let host: String

    public var address: String { "\(host):\(port)" }

    /// Listens on `host:port`; port 0 picks a free port.
    public init(host: String = "127.0.0.1", port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard let parsed = Self.parse(host) else {
            throw Errno(EINVAL, operation: "parse listen address \(host) (an IPv4 address such as 127.0.0.1)")
        }
        address.sin_addr = parsed
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let error = Errno.current("listen on \(host):\(port)")
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        self.port = Self.endpoint(of: fd, peer: false)?.port ?? port
        self.host = host
    }

    deinit { Glibc.close(fd) }

    /// Whether `host` is an IPv4 loopback address (127.0.0.0/8), reachable only from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        guard let address = parse(host) else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    /// Waits for a connection and looks up the owner of its other end.
    public func accept() throws -> SocketConnection {
        let connection = try retryingOnInterrupt("accept") { Glibc.accept(fd, nil, nil) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        let local = Self.endpoint(of: connection, peer: false)
        let remote = Self.endpoint(of: connection, peer: true)
        var owner: uid_t?
        if let local, let remote {
            owner = SocketOwnerTable.current().owner(local: remote, remote: local)
        }
        let description = remote.map { "\($0.address.map(String.init).joined(separator: ".")):\($0.port)" } ?? "an unknown address"
        return SocketConnection(fd: connection, peerUserID: owner, peerDescription: description)
    }

    private static func parse(_ host: String) -> in_addr? {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1 ? address : nil
    }

    /// The socket's own address, or its peer's.
    private static func endpoint(of fd: Int32, peer: Bool) -> SocketOwnerTable.Endpoint? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length) }
        }
        guard status == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return SocketOwnerTable.Endpoint(
            address: withUnsafeBytes(of: address.sin_addr.s_addr) { Array($0) }, port: UInt16(bigEndian: address.sin_port))
    }
}
