import Foundation
import Glibc
import System

/// Where bundles are unpacked so that every command can use a `.rrdbg` file as a trace.
///
/// Replay needs a trace directory (it maps and executes the archived files), so a bundle is
/// extracted once into `<cache>/<content digest>/` and reused. Extraction goes to a hidden
/// temporary directory that is renamed into place only after every entry matched its digest
/// and the completion marker was written last, so a directory under its final name is always
/// complete, and two rrdbg processes opening the same bundle at once cannot see each other's
/// half-written files: the loser of the rename discards its copy and uses the winner's.
///
/// The bundle itself is verified on every use, even when its extraction is reused, so a
/// damaged copy of a bundle is reported rather than silently standing in for the intact one.
/// The cache is private (0700) like the traces it holds.
public struct TraceBundleCache: Equatable, Sendable {
    /// Written last into a complete extraction; holds the content digest.
    public static let completionMarkerName = ".rrdbg-extracted"

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `$XDG_CACHE_HOME/rrdbg/bundles` if that is an absolute path (as the XDG specification
    /// requires), else `$HOME/.cache/rrdbg/bundles`, with the password database's home
    /// directory if `HOME` is unset.
    public static func standardPath(environment: [String: String]) throws -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return cache + "/rrdbg/bundles"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.cache/rrdbg/bundles"
        }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            let home = String(cString: directory)
            if !home.isEmpty { return home + "/.cache/rrdbg/bundles" }
        }
        throw TraceError.noTraceRoot(reason: "neither XDG_CACHE_HOME nor HOME is set, so bundles cannot be unpacked")
    }

    /// The trace directory holding the bundle at `bundlePath`, extracted now unless an earlier
    /// extraction is complete. Throws `TraceBundleError` for a damaged or unreadable bundle.
    public func open(bundleAt bundlePath: String) throws -> TraceDirectory {
        let bundle = try TraceBundleReader(path: bundlePath)
        let finalPath = path + "/" + bundle.contentDigest
        if try isComplete(finalPath, bundle: bundle) {
            try bundle.verify()
            return try TraceDirectory.open(at: finalPath)
        }
        try POSIXFile.makeDirectories(path, mode: 0o700)
        removeAbandonedExtractions()
        // Checked again: another process may have just renamed a complete copy into place.
        if try POSIXFile.status(finalPath) != nil, try !isComplete(finalPath, bundle: bundle) {
            // Damaged since it was extracted, since only whole extractions are ever renamed there.
            try FileManager.default.removeItem(atPath: finalPath)
        }
        let temporaryPath = POSIXFile.temporaryName(for: path + "/." + bundle.contentDigest)
        try POSIXFile.makeDirectory(temporaryPath, mode: 0o700)
        do {
            try bundle.extract(into: temporaryPath)
            try writeMarker(in: temporaryPath, digest: bundle.contentDigest)
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
        if Glibc.rename(temporaryPath, finalPath) != 0 {
            let failure = errno
            try? FileManager.default.removeItem(atPath: temporaryPath)
            // Another process finished the same extraction first; its copy is as good as ours.
            guard failure == EEXIST || failure == ENOTEMPTY, try isComplete(finalPath, bundle: bundle) else {
                throw TraceError.systemCall(Errno(failure, operation: "rename \(temporaryPath) to", path: finalPath))
            }
        }
        return try TraceDirectory.open(at: finalPath)
    }

    /// True if `directory` was extracted whole from `bundle` and still has every file at its
    /// size (sizes are cheap to check; the contents were checked when they were written).
    private func isComplete(_ directory: String, bundle: TraceBundleReader) throws -> Bool {
        let marker = directory + "/" + TraceBundleCache.completionMarkerName
        guard let info = try POSIXFile.status(marker), POSIXFile.isRegularFile(info),
            (try? String(contentsOfFile: marker, encoding: .utf8)) == bundle.contentDigest + "\n"
        else { return false }
        return try bundle.entries.allSatisfy { entry in
            guard let info = try POSIXFile.status(directory + "/" + entry.name) else { return false }
            return POSIXFile.isRegularFile(info) && UInt64(info.st_size) == entry.size
        }
    }

    private func writeMarker(in directory: String, digest: String) throws {
        let marker = directory + "/" + TraceBundleCache.completionMarkerName
        let descriptor = try POSIXFile.createExclusive(marker, mode: 0o600)
        do {
            try Array((digest + "\n").utf8).withUnsafeBytes { try POSIXFile.writeAll(descriptor, $0, path: marker) }
            try POSIXFile.sync(descriptor, path: marker)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        try POSIXFile.close(descriptor, path: marker)
    }

    /// Removes temporary extractions whose process died (killed, or the machine went down),
    /// recognised by the process id in their name. Best effort: the cache works without it.
    private func removeAbandonedExtractions() {
        guard let names = try? POSIXFile.directoryEntries(path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".tmp-") else { continue }
            let process = name[marker.upperBound...].prefix { $0 != "-" }
            guard let pid = Int32(process), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }
}
