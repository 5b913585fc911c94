/// Parses what `addr2line -a -f -i` prints: for each address, a line with the address, then a
/// function line and a `file:line` line for it and for every function it is inlined into.
enum Addr2lineOutput {
    /// One list of locations per input address, in input order. Throws when the output does
    /// not hold exactly `addressCount` records, which means it cannot be matched to addresses.
    static func parse(_ text: String, addressCount: Int) throws -> [[SourceLocation]] {
        var records: [[SourceLocation]] = []
        var pendingFunction: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if pendingFunction == nil, isAddressLine(line) {
                records.append([])
            } else if let function = pendingFunction {
                guard !records.isEmpty else { break }
                records[records.count - 1].append(location(function: function, position: line))
                pendingFunction = nil
            } else if !line.isEmpty {
                pendingFunction = String(line)
            }
        }
        guard records.count == addressCount, pendingFunction == nil else {
            throw UnwindError.toolFailed(
                command: "addr2line", detail: "expected \(addressCount) addresses in its output, found \(records.count)")
        }
        return records
    }

    private static func isAddressLine(_ line: Substring) -> Bool {
        line.hasPrefix("0x") && line.count > 2 && line.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// `file:line`, `file:line (discriminator N)`, `file:?`, `:?`, `??:0` or `??:?`.
    private static func location(function: String, position: Substring) -> SourceLocation {
        var position = position
        if let discriminator = position.firstRange(of: " (discriminator") {
            position = position[..<discriminator.lowerBound]
        }
        guard let colon = position.lastIndex(of: ":") else { return SourceLocation(function: function) }
        let file = String(position[..<colon])
        guard file != "??", !file.isEmpty else { return SourceLocation(function: function) }
        let line = Int(position[position.index(after: colon)...]).flatMap { $0 > 0 ? $0 : nil }
        return SourceLocation(function: function, file: file, line: line)
    }
}
