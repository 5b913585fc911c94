import Foundation

/// The small human-readable description of a trace, stored as pretty JSON in `header.json`.
///
/// It is JSON rather than part of the binary stream so that a user (or a bug report) can see
/// what was recorded, when, and whether the recording finished, with nothing but `cat`. The
/// recorder writes it twice: when recording starts (`complete` false), and again when it ends.
/// A header that still says `complete: false` therefore means the recorder died.
///
/// `formatVersion` is checked before anything else is decoded, so a trace from a newer rrdbg is
/// refused with an upgrade hint instead of being misread.
public struct TraceHeader: Codable, Equatable, Sendable {
    /// The format version this rrdbg writes and the newest one it reads. Version 2 added the
    /// thread-scheduling events (`syscallEntered`, `asyncPoint`); version 1 traces read as is.
    public static let currentFormatVersion = 2

    public var formatVersion: Int
    /// The rrdbg version that recorded the trace.
    public var rrdbgVersion: String
    /// The recorded command line, program first.
    public var command: [String]
    /// The environment the program started with, as "KEY=VALUE" strings.
    public var environment: [String]
    /// The working directory the program started in.
    public var cwd: String
    /// Seconds since the Unix epoch when recording started.
    public var startTime: Double
    /// Seconds since the Unix epoch when recording ended; nil while recording.
    public var endTime: Double?
    /// True once the recorder finished writing the trace.
    public var complete: Bool
    /// Why recording ended, for example "exited", "killed by signal" or "recorder stopped".
    public var endReason: String?
    /// How the program ended, if it did.
    public var exitStatus: ExitEvent.Status?
    /// Events in the stream.
    public var eventCount: Int
    /// Uncompressed size of the event stream in bytes.
    public var bytesRecorded: Int64
    /// Problems noticed while recording that the user should know about.
    public var warnings: [String]
    /// True if the recorder saw something it could not capture exactly (an unknown syscall, an
    /// asynchronous signal), so replay may diverge.
    public var possiblyUnreplayable: Bool
    /// The program's path as it was given, before it was archived.
    public var executable: String
    /// The CPU the guest ran on. Replay pins to the same one, so that the values that differ
    /// between cores (the APIC id in cpuid leaf 1) match when cpuid runs natively.
    public var guestCPU: Int? = nil
    /// False when the recording machine could not make cpuid fault, so the guest executed cpuid
    /// natively and replay needs a CPU with the same `cpuSignature`. Absent means true.
    public var cpuidFaulting: Bool? = nil
    /// The recording CPU's identity and features, as native cpuid reports them.
    public var cpuSignature: String? = nil
    /// Set when rrdbg ended the recording while the program was still running: `timeout`
    /// or `interrupt` (Ctrl-C, SIGTERM). Every thread's final state is then the last thing in
    /// the trace, and replay stops there, which is how a hang is examined.
    public var interruptedBy: String? = nil

    /// The signals the recorded program inherited as ignored (bit N-1 for signal N), so replay
    /// starts it with the same dispositions. Absent in older traces: none.
    public var ignoredSignals: UInt64? = nil

    public static let endedByTimeout = "timeout"
    public static let endedByInterrupt = "interrupt"

    /// The status `rrdbg record` and `rrdbg replay` exit with for a recording ended while the
    /// program ran: 0 for a timeout, which the user asked for, and 130 for an interrupt, as a
    /// shell reports Ctrl-C.
    public static func shellStatus(endedBy reason: String) -> Int32 {
        reason == endedByInterrupt ? 130 : 0
    }

    public init(
        formatVersion: Int = TraceHeader.currentFormatVersion, rrdbgVersion: String, command: [String],
        environment: [String], cwd: String, startTime: Double, endTime: Double? = nil,
        complete: Bool = false, endReason: String? = nil, exitStatus: ExitEvent.Status? = nil,
        eventCount: Int = 0, bytesRecorded: Int64 = 0, warnings: [String] = [],
        possiblyUnreplayable: Bool = false, executable: String
    ) {
        self.formatVersion = formatVersion
        self.rrdbgVersion = rrdbgVersion
        self.command = command
        self.environment = environment
        self.cwd = cwd
        self.startTime = startTime
        self.endTime = endTime
        self.complete = complete
        self.endReason = endReason
        self.exitStatus = exitStatus
        self.eventCount = eventCount
        self.bytesRecorded = bytesRecorded
        self.warnings = warnings
        self.possiblyUnreplayable = possiblyUnreplayable
        self.executable = executable
    }

    /// The header as pretty-printed JSON with sorted keys, ending in a newline.
    public func encodedJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Should a time ever be infinite or NaN, spell it as a string rather than fail.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            throw TraceError.unreadableHeader(path: "header.json", reason: "cannot encode it: \(error)")
        }
    }

    /// Parses a header, refusing versions this rrdbg cannot read. `path` names the file in errors.
    public static func decode(json: [UInt8], path: String) throws -> TraceHeader {
        let data = Data(json)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let version: Int
        do {
            version = try decoder.decode(VersionProbe.self, from: data).formatVersion
        } catch {
            throw TraceError.unreadableHeader(path: path, reason: describe(error))
        }
        if version > currentFormatVersion {
            throw TraceError.unsupportedFormatVersion(found: version, supported: currentFormatVersion)
        }
        if version < 1 {
            throw TraceError.unreadableHeader(path: path, reason: "invalid format version \(version)")
        }
        let header: TraceHeader
        do {
            header = try decoder.decode(TraceHeader.self, from: data)
        } catch {
            throw TraceError.unreadableHeader(path: path, reason: describe(error))
        }
        for (field, time) in [("startTime", header.startTime), ("endTime", header.endTime)] {
            if let time, !plausibleTimes.contains(time) {
                throw TraceError.unreadableHeader(
                    path: path, reason: "field \"\(field)\" is invalid (\(time) is not a time between 1970 and 9999)")
            }
        }
        return header
    }

    /// The times a header may hold, in seconds since the epoch: from 1970 to the end of 9999.
    /// The decoder accepts "nan" and "inf" (the encoder's spelling should one ever be written),
    /// and dates far out of this range trap when they are formatted, so a header carrying one
    /// is refused like any other invalid field.
    private static let plausibleTimes = 0.0...253_402_300_799.0

    /// Just the version field, decoded before the rest so that a newer layout cannot fail first.
    private struct VersionProbe: Decodable {
        var formatVersion: Int
    }

    /// A short reason for a JSON decoding failure.
    private static func describe(_ error: Error) -> String {
        guard let decodingError = error as? DecodingError else { return "not valid JSON" }
        switch decodingError {
        case .keyNotFound(let key, _):
            return "field \"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "field \"\(field)\" has the wrong type"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "field \"\(field)\" is invalid"
        @unknown default:
            return "not a valid trace header"
        }
    }
}

/// Exit statuses appear in `header.json` as `{"exited": 0}` or
/// `{"signal": 11, "coreDumped": false}`, which reads naturally and leaves room for new kinds.
extension ExitEvent.Status: Codable {
    private enum CodingKeys: String, CodingKey {
        case exited
        case signal
        case coreDumped
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let code = try container.decodeIfPresent(Int32.self, forKey: .exited) {
            self = .exited(code)
        } else if let signal = try container.decodeIfPresent(Int32.self, forKey: .signal) {
            // Only real signal numbers: the shell's status, 128 + N, must not overflow.
            guard ExitEvent.Status.signalNumbers.contains(signal) else {
                throw DecodingError.dataCorrupted(DecodingError.Context(
                    codingPath: container.codingPath + [CodingKeys.signal],
                    debugDescription: "\(signal) is not a signal number"))
            }
            let coreDumped = try container.decodeIfPresent(Bool.self, forKey: .coreDumped) ?? false
            self = .killed(signal: signal, coreDumped: coreDumped)
        } else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: "an exit status needs \"exited\" or \"signal\""))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .exited(let code):
            try container.encode(code, forKey: .exited)
        case .killed(let signal, let coreDumped):
            try container.encode(signal, forKey: .signal)
            try container.encode(coreDumped, forKey: .coreDumped)
        }
    }
}
