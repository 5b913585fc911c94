import Glibc
import System

/// The gdb stub's listening socket: the few socket calls rrdbg makes, kept with its other raw
/// system calls.
public final class TCPListener {
    private let fd: Int32
    /// The port actually bound (useful when 0 asked for any free port).
    public let port: UInt16
    public let host: String

    /// Listens on `host:port`; port 0 picks a free port.
    public init(host: String, port: UInt16) throws {
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
            close(fd)
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

    deinit { close(fd) }

    /// Waits for gdb to connect.
    public func accept() throws -> TCPConnection {
        let connection = try retryingOnInterrupt("accept") { Glibc.accept(fd, nil, nil) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        var yes: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return TCPConnection(fd: connection)
    }
}

/// One accepted connection.
public final class TCPConnection {
    private let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Reads what is available, waiting up to `timeout` milliseconds (-1 forever). Returns nil
    /// when the peer closed the connection, and an empty array on timeout.
    public func read(timeout: Int32) throws -> [UInt8]? {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try retryingOnInterrupt("poll") { poll(&request, 1, timeout) }
        guard ready > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return [] }
            if errno == ECONNRESET { return nil }
            throw Errno.current("read from gdb")
        }
        return count == 0 ? nil : Array(buffer[0..<count])
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Errno.current("write to gdb")
            }
            offset += written
        }
    }
}
