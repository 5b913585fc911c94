/// A short printable excerpt of output bytes, for divergence messages.
enum OutputPreview {
    static func of(_ bytes: [UInt8], limit: Int = 48) -> String {
        let shown = bytes.prefix(limit).map { byte -> String in
            switch byte {
            case 0x0a: return "\\n"
            case 0x20..<0x7f: return String(UnicodeScalar(byte))
            default: return "\\x" + String(byte, radix: 16)
            }
        }.joined()
        return bytes.count > limit ? shown + "..." : shown
    }
}
