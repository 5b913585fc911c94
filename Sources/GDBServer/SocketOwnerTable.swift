import Glibc
import System

/// The kernel's tables of TCP sockets (`/proc/net/tcp` and `/proc/net/tcp6`), read to find
/// which user owns the other end of a loopback connection.
///
/// TCP carries no credentials, but on loopback both ends are sockets of this machine, listed
/// with their owner's uid: the peer is the socket whose local address is the connection's
/// remote one and whose remote address is the connection's local one.
public struct SocketOwnerTable {
    /// One end of a TCP connection; IPv4 addresses as 4 bytes, IPv6 as 16, in network order.
    public struct Endpoint: Hashable, Sendable {
        public var address: [UInt8]
        public var port: UInt16

        public init(address: [UInt8], port: UInt16) {
            // gdb may connect from an IPv6 socket, listed with the IPv4-mapped address.
            let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
            self.address = address.count == 16 && address.starts(with: mappedPrefix) ? Array(address.suffix(4)) : address
            self.port = port
        }
    }

    private struct Key: Hashable {
        var local: Endpoint
        var remote: Endpoint
    }

    private var owners: [Key: uid_t] = [:]

    /// The table from the text of `/proc/net/tcp`-style files; lines that do not parse are
    /// skipped.
    public init(contents: [String]) {
        for text in contents {
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 7, let local = Self.endpoint(fields[1]), let remote = Self.endpoint(fields[2]),
                      let uid = uid_t(fields[7])
                else { continue }
                owners[Key(local: local, remote: remote)] = uid
            }
        }
    }

    /// The machine's current table.
    public static func current() -> SocketOwnerTable {
        SocketOwnerTable(contents: ["/proc/net/tcp", "/proc/net/tcp6"].compactMap { path in
            guard let file = try? FileDescriptor.open(path, flags: O_RDONLY) else { return nil }
            defer { try? file.close() }
            return (try? file.readAll()).map { String(decoding: $0, as: UTF8.self) }
        })
    }

    /// The owner of the socket at `local` connected to `remote`, if listed.
    public func owner(local: Endpoint, remote: Endpoint) -> uid_t? {
        owners[Key(local: local, remote: remote)]
    }

    /// `0100007F:1F90`: the address as 32-bit words printed in host order, then the port.
    private static func endpoint(_ field: Substring) -> Endpoint? {
        let parts = field.split(separator: ":")
        guard parts.count == 2, parts[0].count == 8 || parts[0].count == 32, let port = UInt16(parts[1], radix: 16) else {
            return nil
        }
        var address: [UInt8] = []
        var word = parts[0].startIndex
        while word < parts[0].endIndex {
            let end = parts[0].index(word, offsetBy: 8)
            guard let value = UInt32(parts[0][word..<end], radix: 16) else { return nil }
            withUnsafeBytes(of: value) { address += $0 }
            word = end
        }
        return Endpoint(address: address, port: port)
    }
}
