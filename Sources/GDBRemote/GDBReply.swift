/// Builders for reply payloads. Each returns the unframed payload; pass it to
/// `PacketEncoder.frame` to send it.
///
/// Keeping the exact spellings here (two-digit error codes, lower-case hex, `QC` with a
/// multiprocess thread id) means the stub states *what* it answers and never formats protocol
/// text by hand.
public enum GDBReply {
    /// `OK`.
    public static let ok: [UInt8] = Array("OK".utf8)

    /// The empty reply, which means "packet not supported".
    public static let empty: [UInt8] = []

    /// `Exx`: an error with a two-digit hex code. gdb only shows the number, so the code is
    /// conventionally an errno-like value (`E01` for "bad request", `E0e` for EFAULT, …).
    public static func error(_ code: UInt8) -> [UInt8] {
        [UInt8(ascii: "E")] + HexCoding.byte(code)
    }

    /// `E.text`: an error with a message gdb prints verbatim, e.g. for failed `qRcmd`s.
    public static func errorMessage(_ text: String) -> [UInt8] {
        Array("E.".utf8) + Array(text.utf8)
    }

    /// Bytes as hex, the reply to `m` and `g`.
    public static func hex<Data: Sequence<UInt8>>(_ bytes: Data) -> [UInt8] {
        HexCoding.encode(bytes)
    }

    /// Text as hex, the reply to `qThreadExtraInfo` and a `qRcmd`'s final output.
    public static func hexText(_ text: String) -> [UInt8] {
        HexCoding.encode(text.utf8)
    }

    /// `O hex`: text for gdb's console, sent before the final reply to `qRcmd` or while the
    /// program runs.
    public static func consoleOutput(_ text: String) -> [UInt8] {
        [UInt8(ascii: "O")] + HexCoding.encode(text.utf8)
    }

    /// `QC thread`: the reply to `qC`.
    public static func currentThread(_ thread: ThreadID) -> [UInt8] {
        Array("QC".utf8) + thread.bytes
    }

    /// `m thread,thread,…`: one part of the thread list for `qfThreadInfo`/`qsThreadInfo`.
    public static func threadList(_ threads: [ThreadID]) -> [UInt8] {
        Array(("m" + threads.map(\.description).joined(separator: ",")).utf8)
    }

    /// `l`: the end of the thread list.
    public static let threadListEnd: [UInt8] = [UInt8(ascii: "l")]

    /// `1` (attached to an existing process: detach on quit) or `0` (created: kill on quit),
    /// the reply to `qAttached`.
    public static func attached(_ attached: Bool) -> [UInt8] {
        [attached ? UInt8(ascii: "1") : UInt8(ascii: "0")]
    }

    /// `vCont;c;C;s;S…`: the reply to `vCont?` listing the supported action letters.
    public static func vContSupported(_ actions: [String]) -> [UInt8] {
        Array((["vCont"] + actions).joined(separator: ";").utf8)
    }

    /// The reply to `qSupported`: features joined by ';', e.g. `PacketSize=4000`,
    /// `qXfer:features:read+`, `ReverseContinue+`. PacketSize is in hex.
    public static func supported(_ features: [String]) -> [UInt8] {
        Array(features.joined(separator: ";").utf8)
    }
}

/// The features gdb announced in `qSupported`, for the few the stub must honour (for example
/// `swbreak:` stop reasons are only allowed when gdb sent `swbreak+`).
public struct ClientFeatures: Sendable, Equatable {
    /// Each entry as sent: `name+`, `name-`, `name?` or `name=value`.
    public let entries: [String]

    public init(_ entries: [String]) {
        self.entries = entries
    }

    /// Whether gdb sent `name+`.
    public func supports(_ name: String) -> Bool {
        entries.contains(name + "+")
    }

    /// The value of a `name=value` entry.
    public func value(of name: String) -> String? {
        let prefix = name + "="
        return entries.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
