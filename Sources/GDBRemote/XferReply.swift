/// Chunked replies to `qXfer:object:read:annex:offset,length`.
extension GDBReply {
    /// The slice of `document` gdb asked for: `m<data>` when more follows, `l<data>` when the
    /// slice reaches the end (and a bare `l` for an offset at or past the end). gdb keeps
    /// asking at increasing offsets until it sees `l`. The data is raw binary; the packet
    /// encoder escapes it.
    public static func xferChunk(_ document: [UInt8], offset: Int, length: Int) -> [UInt8] {
        guard offset >= 0, offset < document.count else { return [UInt8(ascii: "l")] }
        let available = document.count - offset
        let count = min(max(length, 0), available)
        let marker = count == available ? UInt8(ascii: "l") : UInt8(ascii: "m")
        return [marker] + document[offset..<(offset + count)]
    }
}
