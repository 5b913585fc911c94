import Glibc
import System

/// One accepted gdb connection: the transport `GDBSession` uses in rrdbg.
public final class TCPConnection: GDBTransport {
    /// -1 once closed.
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close() }

    public func read(waiting: Bool) throws -> [UInt8]? {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try retryingOnInterrupt("poll") { poll(&request, 1, waiting ? -1 : 0) }
        guard ready > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count: Int
        do {
            count = try buffer.withUnsafeMutableBytes { bytes in
                try retryingOnInterrupt("read from gdb") { Glibc.read(fd, bytes.baseAddress, bytes.count) }
            }
        } catch let failure as Errno where failure.code == EAGAIN || failure.code == ECONNRESET {
            return failure.code == EAGAIN ? [] : nil
        }
        return count == 0 ? nil : Array(buffer[0..<count])
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try bytes.withUnsafeBytes { unsent in
                try retryingOnInterrupt("write to gdb") {
                    send(fd, unsent.baseAddress! + offset, unsent.count - offset, Int32(MSG_NOSIGNAL))
                }
            }
        }
    }

    public func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}
