/// What to record and where to put the trace.
public struct RecordOptions: Sendable {
    /// The program as the user named it (a path, or a name looked up in `$PATH`).
    public var program: String
    public var arguments: [String]
    public var environment: [String]
    /// An explicit trace directory (`--output`), or nil for the default trace root.
    public var outputDirectory: String?
    /// End the recording after this many seconds if the program is still running.
    public var timeout: Double?

    public init(program: String, arguments: [String], environment: [String], outputDirectory: String?, timeout: Double? = nil) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.outputDirectory = outputDirectory
        self.timeout = timeout
    }
}

/// The outcome of a recording.
public struct RecordingSummary: Sendable {
    public var traceDirectory: String
    /// The status a shell would see from the guest: its exit code, or 128 + signal.
    public var shellStatus: Int32
    public var eventCount: Int
    public var warnings: [String]
    /// What ended the recording while the program still ran (see `TraceHeader.interruptedBy`).
    public var interruptedBy: String?
}

/// Why a recording stopped early.
public enum RecordError: Error, CustomStringConvertible {
    case unsupportedSyscall(name: String, reason: String, traceDirectory: String)
    case guestLost(String)

    public var description: String {
        switch self {
        case .unsupportedSyscall(let name, let reason, let directory):
            return "the program called \(name): \(reason). Recording stopped; the partial trace is in \(directory)"
        case .guestLost(let detail):
            return "lost control of the guest: \(detail)"
        }
    }
}
