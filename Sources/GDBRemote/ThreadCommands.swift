/// Which later packets an `H` packet's thread applies to.
public enum ThreadOperation: Sendable, Equatable {
    /// `Hg`: register and memory access (`g`, `p`, `m`, …).
    case general
    /// `Hc`: the old resume packets (`c`, `s`) and gdb's reverse `bc`/`bs`.
    case resume
}

/// Parsing for `H` and `T`. The thread-list queries are `q` packets (see QueryCommands).
extension GDBCommand {
    static func parseThreadSelection(_ kind: UInt8, _ arguments: PacketSlice, packet: PacketSlice) -> GDBCommand {
        if kind == UInt8(ascii: "T") {
            guard let thread = ThreadID(parsing: arguments) else {
                return .malformed("T: bad thread id")
            }
            return .threadAlive(thread)
        }
        let operation: ThreadOperation
        switch arguments.first {
        case UInt8(ascii: "g"): operation = .general
        case UInt8(ascii: "c"): operation = .resume
        default: return .unknown(packet.text)
        }
        guard let thread = ThreadID(parsing: arguments.dropFirst()) else {
            return .malformed("H: bad thread id")
        }
        return .setThread(operation, thread)
    }
}
