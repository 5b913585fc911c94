import Glibc
import System

/// The gdb stub's listening socket.
///
/// rrdbg listens on 127.0.0.1 unless told otherwise: a replay shows everything the program read,
/// so the stub should not be reachable from other machines by default.
public final class TCPListener {
    private let fd: Int32
    /// The port actually bound (useful when 0 asked for any free port).
    public let port: UInt16
    public let host: String

    /// Listens on `host:port`; port 0 picks a free port.
    public init(host: String = "127.0.0.1", port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Errno(EINVAL, operation: "parse listen address \(host) (an IPv4 address such as 127.0.0.1)")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            let error = Errno.current("listen on \(host):\(port)")
            Glibc.close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: actual.sin_port)
        self.host = host
    }

    deinit { Glibc.close(fd) }

    /// Waits for gdb to connect.
    public func accept() throws -> TCPConnection {
        let connection = try retryingOnInterrupt("accept") { Glibc.accept(fd, nil, nil) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return TCPConnection(fd: connection)
    }
}
