/// Why a trace bundle cannot be used, or a trace cannot be packed into one.
///
/// Bundles travel: they are copied over networks, attached to bug reports, cut short by full
/// disks, and opened by older rrdbg builds. Each case names the bundle and what is wrong with
/// it, so the user knows whether to copy it again, upgrade rrdbg, or repack the trace.
public enum TraceBundleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start like a bundle at all.
    case notABundle(path: String, reason: String)
    /// The file is shorter than its header says (or ends inside the header, when
    /// `expectedSize` is nil): a copy or download that stopped early.
    case truncated(path: String, size: UInt64, expectedSize: UInt64?)
    /// Some part of the bundle does not match its checksum or violates the format.
    case corrupt(path: String, reason: String)
    /// The bundle was written by a newer rrdbg with a format this build does not read.
    case newerVersion(path: String, found: UInt32, supported: UInt32)
    /// A file in the trace being packed does not have the content its name promises.
    case damagedTrace(path: String, reason: String)

    public var description: String {
        switch self {
        case .notABundle(let path, let reason):
            return "\(path) is neither a trace directory nor an rrdbg bundle: \(reason)"
        case .truncated(let path, let size, let expectedSize?):
            return "bundle \(path) is truncated: it has \(size) of its \(expectedSize) bytes (copy it again)"
        case .truncated(let path, let size, nil):
            return "bundle \(path) is truncated: it ends inside its header, after \(size) bytes (copy it again)"
        case .corrupt(let path, let reason):
            return "bundle \(path) is corrupt: \(reason)"
        case .newerVersion(let path, let found, let supported):
            return "bundle \(path) has format version \(found), newer than this rrdbg reads "
                + "(\(supported)); upgrade rrdbg to open it"
        case .damagedTrace(let path, let reason):
            return "cannot pack the trace at \(path): \(reason)"
        }
    }
}
