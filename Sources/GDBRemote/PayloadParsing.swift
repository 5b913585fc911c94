/// Small helpers the packet parsers share. Payloads stay `ArraySlice<UInt8>` throughout so
/// that binary data (the `X` packet) is never forced through String and nothing is copied until
/// a typed value is built.
typealias PacketSlice = ArraySlice<UInt8>

extension ArraySlice where Element == UInt8 {
    /// The rest after `prefix`, or nil if the slice does not start with it.
    func after(_ prefix: String) -> PacketSlice? {
        var index = startIndex
        for character in prefix.utf8 {
            guard index < endIndex, self[index] == character else { return nil }
            index += 1
        }
        return self[index...]
    }

    /// Whether the slice is exactly `text`.
    func equals(_ text: String) -> Bool {
        elementsEqual(text.utf8)
    }

    /// The parts before and after the first `separator`, or nil if there is none.
    func splitOnce(at separator: Character) -> (head: PacketSlice, tail: PacketSlice)? {
        guard let ascii = separator.asciiValue, let index = firstIndex(of: ascii) else {
            return nil
        }
        return (self[..<index], self[(index + 1)...])
    }

    /// The parts before and after the last `separator`, or nil if there is none.
    func splitLast(at separator: Character) -> (head: PacketSlice, tail: PacketSlice)? {
        guard let ascii = separator.asciiValue, let index = lastIndex(of: ascii) else {
            return nil
        }
        return (self[..<index], self[(index + 1)...])
    }

    /// Every part between `separator`s, keeping empty ones (`a;;b` has three parts).
    func parts(separatedBy separator: Character) -> [PacketSlice] {
        guard let ascii = separator.asciiValue else { return [self] }
        return split(separator: ascii, omittingEmptySubsequences: false)
    }

    /// The slice as text, with invalid UTF-8 replaced; for names and diagnostics only.
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The slice as a hex number, see `HexCoding.parseHex`.
    var hexNumber: UInt64? { HexCoding.parseHex(self) }

    /// The slice as a hex number that fits in Int.
    var hexInt: Int? { HexCoding.parseHexInt(self) }

    /// The slice as a one-byte hex number (signal numbers, breakpoint types).
    var hexByte: UInt8? {
        guard let value = hexNumber, value <= UInt64(UInt8.max) else { return nil }
        return UInt8(value)
    }

    /// The slice as hex-encoded text (file names, monitor commands, environment entries).
    var hexText: String? {
        HexCoding.decode(self).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `0` or `1`, as used by the Q packets that switch a feature off or on.
    var flag: Bool? {
        if equals("0") { return false }
        if equals("1") { return true }
        return nil
    }
}
