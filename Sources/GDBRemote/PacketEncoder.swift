/// Frames reply payloads for the wire.
///
/// A packet is `$payload#cs` where `cs` is the modulo-256 sum of the payload bytes as sent,
/// in two hex digits. The framing characters '$' and '#', the escape character '}' and the
/// run-length marker '*' cannot appear raw, so they are sent as '}' followed by the byte XORed
/// with 0x20. Binary replies (`qXfer` chunks, `vFile:pread` data) rely on this.
public enum PacketEncoder {
    /// The complete packet for `payload`, ready to write to the socket.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let body = escape(payload)
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4)
        out.append(UInt8(ascii: "$"))
        out.append(contentsOf: body)
        out.append(UInt8(ascii: "#"))
        out.append(contentsOf: HexCoding.byte(checksum(body)))
        return out
    }

    /// `payload` with every special byte escaped.
    public static func escape(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count)
        for byte in payload {
            if needsEscape(byte) {
                out.append(UInt8(ascii: "}"))
                out.append(byte ^ 0x20)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// The protocol checksum: the sum of the bytes modulo 256.
    public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt8 {
        bytes.reduce(0) { $0 &+ $1 }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "}"), UInt8(ascii: "*"): true
        default: false
        }
    }
}
