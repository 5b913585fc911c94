/// Parsing for the `q` packets this module types. The many others gdb probes with (`qTStatus`,
/// `qTfV`, `qL`, `qCRC`, `qGetTLSAddr`, …) parse as `.unknown`; an empty reply is the correct
/// "not supported" answer to all of them.
extension GDBCommand {
    static func parseQuery(_ query: PacketSlice, packet: PacketSlice) -> GDBCommand {
        if query.equals("Supported") {
            return .querySupported([])
        }
        if let features = query.after("Supported:") {
            return .querySupported(features.parts(separatedBy: ";").filter { !$0.isEmpty }.map(\.text))
        }
        if query.equals("C") {
            return .currentThread
        }
        if query.equals("fThreadInfo") {
            return .threadListFirst
        }
        if query.equals("sThreadInfo") {
            return .threadListNext
        }
        if let threadText = query.after("ThreadExtraInfo,") {
            guard let thread = ThreadID(parsing: threadText) else {
                return .malformed("qThreadExtraInfo: bad thread id")
            }
            return .threadExtraInfo(thread)
        }
        if query.equals("Attached") {
            return .attached(pid: nil)
        }
        if let pidText = query.after("Attached:") {
            guard let pid = pidText.hexNumber else { return .malformed("qAttached: bad pid") }
            return .attached(pid: pid)
        }
        if query.equals("Offsets") {
            return .offsets
        }
        if let symbol = query.after("Symbol:") {
            return parseSymbol(symbol)
        }
        if let transfer = query.after("Xfer:") {
            return parseTransfer(transfer, packet: packet)
        }
        if let command = query.after("Rcmd,") {
            guard let text = command.hexText else { return .malformed("qRcmd: command is not hex") }
            return .monitor(text)
        }
        return .unknown(packet.text)
    }

    /// `qSymbol::` or `qSymbol:value:hexname`, with either part possibly empty.
    private static func parseSymbol(_ text: PacketSlice) -> GDBCommand {
        guard let (valueText, nameText) = text.splitOnce(at: ":") else {
            return .malformed("qSymbol: expected value:name")
        }
        var value: UInt64?
        if !valueText.isEmpty {
            guard let parsed = valueText.hexNumber else { return .malformed("qSymbol: bad value") }
            value = parsed
        }
        var name: String?
        if !nameText.isEmpty {
            guard let parsed = nameText.hexText else { return .malformed("qSymbol: name is not hex") }
            name = parsed
        }
        return .symbol(value: value, name: name)
    }

    /// `object:read:annex:offset,length`. The annex is often empty (`qXfer:auxv:read::0,1000`)
    /// and is taken as everything between the operation and the last ':', so an annex that
    /// itself contains ':' survives. Writes and other operations are unsupported.
    private static func parseTransfer(_ text: PacketSlice, packet: PacketSlice) -> GDBCommand {
        guard let (object, rest) = text.splitOnce(at: ":"),
              let (operation, tail) = rest.splitOnce(at: ":")
        else { return .malformed("qXfer: expected object:operation:annex:offset,length") }
        guard operation.equals("read") else { return .unknown(packet.text) }
        guard let (annex, range) = tail.splitLast(at: ":"),
              let (offsetText, lengthText) = range.splitOnce(at: ","),
              let offset = offsetText.hexInt, let length = lengthText.hexInt
        else { return .malformed("qXfer: expected annex:offset,length") }
        return .xferRead(object: object.text, annex: annex.text, offset: offset, length: length)
    }
}
