import Glibc
import System

/// Everything that can go wrong while writing or reading a trace.
///
/// Traces outlive the process that wrote them: they get cut off by crashes, copied between
/// machines, and read by newer or older rrdbg builds. Each case therefore carries enough context
/// (the path, the byte offset, the frame or event index) for its `description` to tell the user
/// what is wrong and where, without a debugger.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call on a trace file failed; the `Errno` names the file.
    case systemCall(Errno)
    /// The disk or the user's quota filled up while writing; frames written before stay readable.
    case diskFull(path: String)
    /// liblz4 refused to compress or to set up a context.
    case compressionFailed(reason: String)
    /// A compressed stream is damaged: a checksum mismatch, a bad frame header, an oversized frame.
    case corruptStream(file: String, offset: Int64, frame: Int, reason: String)
    /// An encoded event violates the format (bad lengths, overflowing integers, invalid values).
    case malformedEvent(reason: String)
    /// An encoded event has a kind byte this rrdbg does not know.
    case unknownEventKind(UInt8)
    /// An event inside a trace could not be decoded; `reason` describes the underlying problem.
    case corruptEvent(file: String, eventIndex: Int, frame: Int, reason: String)
    /// The directory has no `header.json`, so it is not a trace (or its recorder never started).
    case missingHeader(path: String)
    /// `header.json` exists but cannot be read or parsed.
    case unreadableHeader(path: String, reason: String)
    /// The trace was written by a newer rrdbg with a format this build does not understand.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// The user named a trace that does not exist.
    case noTrace(path: String)
    /// The user asked for the latest trace but nothing was ever recorded under the root.
    case noRecordings(root: String)
    /// A new trace was to be created at a path that already holds something.
    case traceDirectoryNotEmpty(path: String)
    /// A file hash from the trace is not 64 lowercase hex digits (and must not be used as a path).
    case invalidFileHash(String)
    /// The environment does not say where traces live.
    case noTraceRoot(reason: String)
    /// Only regular files can be archived; a device or pipe has no fixed content to copy.
    case notARegularFile(path: String)
    /// A file of a trace is not what it must be: a symlink (which could point at any file of
    /// this machine), a FIFO (which would hang the reader) or another non-regular file.
    case refusedFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .systemCall(let failure):
            return failure.description
        case .diskFull(let path):
            return "disk full while writing trace (\(path)); frames written before are kept"
        case .compressionFailed(let reason):
            return "cannot compress trace data: \(reason)"
        case .corruptStream(let file, let offset, let frame, let reason):
            return "trace events are corrupt at byte \(offset) of \(file) (frame \(frame)): \(reason)"
        case .malformedEvent(let reason):
            return "malformed trace event: \(reason)"
        case .unknownEventKind(let kind):
            return "unknown trace event kind \(kind); the trace may come from a newer rrdbg"
        case .corruptEvent(let file, let eventIndex, let frame, let reason):
            return "trace event \(eventIndex) in \(file) (frame \(frame)) is corrupt: \(reason)"
        case .missingHeader(let path):
            return "no trace at \(path): its header is missing"
        case .unreadableHeader(let path, let reason):
            return "cannot read trace header \(path): \(reason)"
        case .unsupportedFormatVersion(let found, let supported):
            return "trace format version \(found) is newer than this rrdbg supports (\(supported)); "
                + "upgrade rrdbg to replay it"
        case .noTrace(let path):
            return "no trace at \(path)"
        case .noRecordings(let root):
            return "no recordings yet in \(root)"
        case .traceDirectoryNotEmpty(let path):
            return "cannot create a trace at \(path): it already exists and is not empty"
        case .invalidFileHash(let hash):
            return "invalid archived file hash \"\(hash)\" in trace"
        case .noTraceRoot(let reason):
            return "cannot find the trace directory: \(reason)"
        case .notARegularFile(let path):
            return "cannot archive \(path) in the trace: it is not a regular file"
        case .refusedFile(let path, let reason):
            return "refusing to read \(path) from the trace: \(reason)"
        }
    }
}
