/// Makes text from the traced program safe to put into the page, as markup or as JSON.
///
/// Thread names, syscall arguments and signal details come from the program being debugged, so
/// they may hold markup, quotes or control characters. Everything the page shows goes through
/// here. Control characters become their visible Unicode "control picture" (U+2400 block) rather
/// than vanishing, because a debugger should show what the program really wrote; C1 controls,
/// which have no pictures, become U+FFFD.
enum TextEscaping {
    /// Appends `text` escaped for element content or a quoted attribute value.
    static func appendHTML(_ text: String, to output: inout String) {
        guard text.utf8.contains(where: { needsHTMLEscaping($0) || isControlStart($0) }) else {
            output += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(visible(scalar))
            }
        }
    }

    /// Appends the lines as one JSON string literal joined by newlines, safe inside a `<script>`
    /// element: `<`, `>` and `&` are written as `\u` escapes, so no `</script>` or `<!--` can
    /// appear.
    static func appendJSON(lines: [String], to output: inout String) {
        output += "\""
        for (index, line) in lines.enumerated() {
            if index > 0 {
                output += "\\n"
            }
            guard line.utf8.contains(where: { needsJSONEscaping($0) || isControlStart($0) }) else {
                output += line
                continue
            }
            for scalar in line.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "<": output += "\\u003c"
                case ">": output += "\\u003e"
                case "&": output += "\\u0026"
                case "\u{2028}": output += "\\u2028"
                case "\u{2029}": output += "\\u2029"
                default: output.unicodeScalars.append(visible(scalar))
                }
            }
        }
        output += "\""
    }

    /// A control character's visible stand-in; any other scalar unchanged.
    private static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0..<0x20: Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: "\u{2421}"
        case 0x80..<0xA0: "\u{FFFD}"
        default: scalar
        }
    }

    /// Whether a UTF-8 byte may start a control character. 0xC2 leads every C1 control
    /// (U+0080–U+009F) but also other Latin-1 characters, which the slow path then keeps.
    private static func isControlStart(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2
    }

    private static func needsHTMLEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// 0xE2 leads U+2028 and U+2029, which old JavaScript parsers took for line ends.
    private static func needsJSONEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == 0xE2
    }
}
