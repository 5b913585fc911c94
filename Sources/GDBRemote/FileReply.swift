/// Replies to `vFile` requests: `F result[;attachment]` or `F-1,errno`.
///
/// The result is hex like every other number in the protocol. The attachment (file data for
/// `pread`, the target for `readlink`, the stat record for `fstat`) is raw binary after the
/// ';'; the packet encoder escapes it.
extension GDBReply {
    /// `F<result>`: success with a plain result (a file descriptor, or 0).
    public static func fileResult(_ result: UInt64) -> [UInt8] {
        [UInt8(ascii: "F")] + HexCoding.number(result)
    }

    /// `F<count>;<data>`: success carrying data, whose length is the result.
    public static func fileData(_ data: [UInt8]) -> [UInt8] {
        fileResult(UInt64(data.count)) + [UInt8(ascii: ";")] + data
    }

    /// `F-1,<errno>`: failure.
    public static func fileError(_ error: FileIOErrno) -> [UInt8] {
        Array("F-1,".utf8) + HexCoding.number(UInt64(error.rawValue))
    }

    /// `F40;<64-byte stat record>`: the reply to `vFile:fstat`.
    public static func fileStat(_ stat: FileIOStat) -> [UInt8] {
        fileData(stat.encoded)
    }
}
