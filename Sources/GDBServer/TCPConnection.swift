import Glibc

/// One accepted gdb connection: the transport `GDBSession` uses in rrdbg.
public final class TCPConnection: GDBTransport {
    /// -1 once closed.
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close() }

    public func read(waiting: Bool) throws -> [UInt8]? {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try SocketError.retryingOnInterrupt("poll") { poll(&request, 1, waiting ? -1 : 0) }
        guard ready > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return [] }
            if errno == ECONNRESET { return nil }
            throw SocketError.current("read from gdb")
        }
        return count == 0 ? nil : Array(buffer[0..<count])
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw SocketError.current("write to gdb")
            }
            offset += written
        }
    }

    public func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}
