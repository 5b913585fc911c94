import Glibc
import System

/// The directory where recordings go by default, with a `latest` symlink to the newest one.
///
/// Users record without naming a trace and replay "the last one", so traces get unique names
/// (`<program>-<N>`) and `latest` is moved atomically (a new symlink renamed over the old) so
/// it always points at a whole trace directory. The root is `$RRDBG_TRACE_DIR` if set, else
/// `$HOME/.local/share/rrdbg`, created 0700 because traces hold secrets.
public struct TraceRoot: Equatable, Sendable {
    /// The name of the symlink to the newest trace.
    public static let latestLinkName = "latest"

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The default root for `environment`, created (with any missing parents, mode 0700) if it
    /// does not exist yet.
    public static func standard(environment: [String: String]) throws -> TraceRoot {
        let root = TraceRoot(path: try standardPath(environment: environment))
        try POSIXFile.makeDirectories(root.path, mode: 0o700)
        return root
    }

    /// `$RRDBG_TRACE_DIR`, else `$HOME/.local/share/rrdbg` (with the home directory from the
    /// password database if `HOME` is unset).
    public static func standardPath(environment: [String: String]) throws -> String {
        if let explicit = environment["RRDBG_TRACE_DIR"], !explicit.isEmpty {
            return explicit
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/share/rrdbg"
        }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            let home = String(cString: directory)
            if !home.isEmpty { return home + "/.local/share/rrdbg" }
        }
        throw TraceError.noTraceRoot(reason: "neither RRDBG_TRACE_DIR nor HOME is set")
    }

    public var latestPath: String { path + "/" + TraceRoot.latestLinkName }

    /// Creates a new trace directory named after `program` with the next free number, and
    /// points `latest` at it.
    public func createTrace(forProgram program: String) throws -> TraceDirectory {
        try POSIXFile.makeDirectories(path, mode: 0o700)
        // No leading dots: hidden names are reserved for temporary files and skipped by `list`.
        var base = String(POSIXFile.baseName(of: program).drop { $0 == "." })
        if base.isEmpty || base.contains("/") { base = "trace" }
        let taken = try POSIXFile.directoryEntries(path).compactMap { TraceRoot.number(inName: $0, base: base) }
        var number = taken.max().map { $0 + 1 } ?? 0
        while true {
            let candidate = path + "/" + base + "-" + String(number)
            if try POSIXFile.makeDirectory(candidate, mode: 0o700) {
                let directory = TraceDirectory(path: candidate)
                try POSIXFile.makeDirectory(directory.filesPath, mode: 0o700)
                try pointLatest(at: base + "-" + String(number))
                return directory
            }
            number += 1
        }
    }

    /// Atomically replaces `latest` with a symlink to `name` (relative, so the root can move).
    public func pointLatest(at name: String) throws {
        let temporaryPath = POSIXFile.temporaryName(for: path + "/.latest")
        if symlink(name, temporaryPath) != 0 {
            throw TraceError.systemCall(Errno(errno, operation: "create symlink", path: temporaryPath))
        }
        do {
            try POSIXFile.rename(temporaryPath, to: latestPath)
        } catch {
            unlink(temporaryPath)
            throw error
        }
    }

    /// Finds the trace a user named: nil means the latest; an existing path is used as is;
    /// anything else is looked up as a name under the root.
    public func resolve(_ argument: String?) throws -> TraceDirectory {
        guard let argument else {
            guard try POSIXFile.status(latestPath) != nil else { throw TraceError.noRecordings(root: path) }
            // Follow the link now, so that a recording started later does not change which
            // trace this one refers to.
            let target = POSIXFile.symlinkTarget(latestPath) ?? TraceRoot.latestLinkName
            let latest = target.hasPrefix("/") ? target : path + "/" + target
            guard try POSIXFile.status(latest, followingSymlinks: true) != nil else {
                throw TraceError.noTrace(path: latestPath)
            }
            return try TraceDirectory.open(at: latest)
        }
        if try POSIXFile.status(argument, followingSymlinks: true) != nil {
            return try TraceDirectory.open(at: argument)
        }
        if !argument.contains("/") {
            let underRoot = path + "/" + argument
            if try POSIXFile.status(underRoot, followingSymlinks: true) != nil {
                return try TraceDirectory.open(at: underRoot)
            }
        }
        throw TraceError.noTrace(path: argument)
    }

    /// One trace found under the root, for `rrdbg ls`.
    public struct Entry: Equatable, Sendable {
        /// The directory's name under the root.
        public var name: String
        public var directory: TraceDirectory
        /// The parsed header, or why it could not be read (a trace from a newer rrdbg, say).
        public var header: Result<TraceHeader, TraceError>
        /// True for the trace `latest` points at.
        public var isLatest: Bool
    }

    /// Every trace directory under the root (directories with a `header.json`), ordered by
    /// program name and then number. An absent root has no traces.
    public func list() throws -> [Entry] {
        guard try POSIXFile.status(path, followingSymlinks: true) != nil else { return [] }
        let latestName = POSIXFile.symlinkTarget(latestPath).map { POSIXFile.baseName(of: $0) }
        var entries: [Entry] = []
        for name in try POSIXFile.directoryEntries(path) where name != TraceRoot.latestLinkName && !name.hasPrefix(".") {
            let directory = TraceDirectory(path: path + "/" + name)
            guard let info = try POSIXFile.status(directory.path), POSIXFile.isDirectory(info),
                try POSIXFile.status(directory.headerPath) != nil
            else { continue }
            let header: Result<TraceHeader, TraceError>
            do {
                header = .success(try directory.readHeader())
            } catch let error as TraceError {
                header = .failure(error)
            }
            entries.append(Entry(name: name, directory: directory, header: header, isLatest: name == latestName))
        }
        return entries.sorted { TraceRoot.sortKey($0.name) < TraceRoot.sortKey($1.name) }
    }

    /// The N of "<base>-<N>", if `name` has that form.
    private static func number(inName name: String, base: String) -> Int? {
        let prefix = base + "-"
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(digits)
    }

    /// Orders "ls-2" before "ls-10": the name's base, then its number.
    private static func sortKey(_ name: String) -> SortKey {
        if let dash = name.lastIndex(of: "-"), let number = Int(name[name.index(after: dash)...]) {
            return SortKey(base: String(name[..<dash]), number: number, name: name)
        }
        return SortKey(base: name, number: -1, name: name)
    }

    private struct SortKey: Comparable {
        var base: String
        var number: Int
        var name: String

        static func < (left: SortKey, right: SortKey) -> Bool {
            (left.base, left.number, left.name) < (right.base, right.number, right.name)
        }
    }
}
