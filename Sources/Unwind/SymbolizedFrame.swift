/// A function and, when debug information has it, the source line for one code address.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    /// The demangled function name, or "??" when no symbol covers the address.
    public var function: String
    public var file: String?
    public var line: Int?

    public init(function: String, file: String? = nil, line: Int? = nil) {
        self.function = function
        self.file = file
        self.line = line
    }

    public static let unknown = SourceLocation(function: "??")

    /// `f3 at /src/blocked_read.c:9`, or just the function name.
    public var description: String {
        guard let file else { return function }
        return line.map { "\(function) at \(file):\($0)" } ?? "\(function) at \(file)"
    }
}

/// A backtrace frame with names attached.
public struct SymbolizedFrame: Equatable, Sendable, CustomStringConvertible {
    public var frame: UnwoundFrame
    /// The file the names were looked up in, if the frame's module had one.
    public var modulePath: String?
    /// Where the frame is, innermost first: functions inlined at the address come before the
    /// function they were inlined into, which is last. Never empty.
    public var locations: [SourceLocation]
    /// Why names are missing when that is not simply a lack of symbols or debug information:
    /// no module, no file for it, or addr2line failing.
    public var problem: String?

    public init(frame: UnwoundFrame, modulePath: String?, locations: [SourceLocation], problem: String? = nil) {
        self.frame = frame
        self.modulePath = modulePath
        self.locations = locations.isEmpty ? [.unknown] : locations
        self.problem = problem
    }

    /// The out-of-line function the frame belongs to.
    public var function: String { locations.last!.function }

    /// `f2 at /src/a.c:13`; inlined functions read `g at a.c:4, inlined in f at a.c:9`.
    public var description: String {
        locations.map(\.description).joined(separator: ", inlined in ")
    }
}
