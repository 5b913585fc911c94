import GDBRemote
import Glibc
import System

/// One accepted gdb connection, over TCP or a Unix socket: the transport `GDBSession` uses in
/// rrdbg.
///
/// Before a session gets it, `ConnectionGate` reads up to the first packet to decide whether
/// the peer is gdb at all; those bytes are kept and handed to the session as its first read.
public final class SocketConnection: GDBTransport {
    /// -1 once closed.
    private var fd: Int32
    /// The user that owns the peer's socket; nil when rrdbg cannot tell (a remote peer).
    public let peerUserID: uid_t?
    /// Who connected, for messages: an address and port, or a process.
    public let peerDescription: String
    /// Bytes read while waiting for the first packet, not yet given to the session.
    private var prefetched: [UInt8] = []

    init(fd: Int32, peerUserID: uid_t?, peerDescription: String) {
        self.fd = fd
        self.peerUserID = peerUserID
        self.peerDescription = peerDescription
    }

    deinit { close() }

    public func read(waiting: Bool) throws -> [UInt8]? {
        guard prefetched.isEmpty else {
            defer { prefetched = [] }
            return prefetched
        }
        return try receive(timeout: waiting ? -1 : 0)
    }

    /// Waits up to `seconds` for a complete packet with a valid checksum, keeping what arrives
    /// for the session. False when the time ran out, the peer closed, or it sent more than a
    /// first packet could need without one.
    func awaitFirstPacket(within seconds: Double) -> Bool {
        let deadline = Self.now() + seconds
        var decoder = PacketDecoder()
        while prefetched.count < PacketDecoder.defaultMaximumPayload * 2 {
            let left = deadline - Self.now()
            guard left > 0, let bytes = try? receive(timeout: Int32((left * 1000).rounded(.up))), !bytes.isEmpty else {
                return false
            }
            prefetched += bytes
            decoder.feed(bytes)
            while let input = decoder.next() {
                if case .packet = input { return true }
            }
        }
        return false
    }

    /// Seconds on the monotonic clock, which changes of the wall clock cannot shorten or stretch.
    private static func now() -> Double {
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        return Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9
    }

    /// What arrived within `timeout` milliseconds (-1: no limit): empty when nothing did, nil
    /// when the peer closed.
    private func receive(timeout: Int32) throws -> [UInt8]? {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try retryingOnInterrupt("poll") { poll(&request, 1, timeout) }
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
