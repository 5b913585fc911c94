import Glibc
import System

/// A trace on disk: a directory holding `header.json`, the event stream `events.lz4`, and
/// `files/` with content-addressed copies of every mapped file.
///
/// Traces hold secrets (file contents, the environment), so everything is created with explicit
/// modes that do not depend on the umask: the directories 0700 and the files 0600. The header is
/// replaced atomically (temporary file, then rename) so a crash never leaves a half-written one.
public struct TraceDirectory: Equatable, Sendable {
    public static let headerFileName = "header.json"
    public static let eventsFileName = "events.lz4"
    public static let filesDirectoryName = "files"

    /// The trace directory's path.
    public let path: String

    /// Refers to an existing trace directory without checking it; see `open(at:)` for that.
    public init(path: String) {
        self.path = path
    }

    public var headerPath: String { path + "/" + TraceDirectory.headerFileName }
    public var eventsPath: String { path + "/" + TraceDirectory.eventsFileName }
    public var filesPath: String { path + "/" + TraceDirectory.filesDirectoryName }

    /// Creates a new, empty trace directory at `path` (and any missing parents). An existing
    /// empty directory is reused; anything else at `path` is an error.
    public static func create(at path: String) throws -> TraceDirectory {
        if let info = try POSIXFile.status(path, followingSymlinks: true) {
            guard POSIXFile.isDirectory(info), try POSIXFile.directoryEntries(path).isEmpty else {
                throw TraceError.traceDirectoryNotEmpty(path: path)
            }
            if chmod(path, 0o700) != 0 {
                throw TraceError.systemCall(Errno(errno, operation: "set the permissions of", path: path))
            }
        } else {
            try POSIXFile.makeDirectories(POSIXFile.parentPath(of: path), mode: 0o700)
            if try !POSIXFile.makeDirectory(path, mode: 0o700) {
                throw TraceError.traceDirectoryNotEmpty(path: path)
            }
        }
        let directory = TraceDirectory(path: path)
        try POSIXFile.makeDirectory(directory.filesPath, mode: 0o700)
        return directory
    }

    /// Refers to an existing trace, checking that `path` is a directory with a header.
    public static func open(at path: String) throws -> TraceDirectory {
        guard let info = try POSIXFile.status(path, followingSymlinks: true), POSIXFile.isDirectory(info) else {
            throw TraceError.noTrace(path: path)
        }
        let directory = TraceDirectory(path: path)
        guard try POSIXFile.status(directory.headerPath, followingSymlinks: true) != nil else {
            throw TraceError.missingHeader(path: path)
        }
        return directory
    }

    /// Replaces `header.json` atomically with `header`, mode 0600.
    public func writeHeader(_ header: TraceHeader) throws {
        let json = try header.encodedJSON()
        let temporaryPath = POSIXFile.temporaryName(for: headerPath)
        let descriptor = try POSIXFile.createExclusive(temporaryPath, mode: 0o600)
        do {
            try json.withUnsafeBytes { try POSIXFile.writeAll(descriptor, $0, path: temporaryPath) }
            try POSIXFile.sync(descriptor, path: temporaryPath)
        } catch {
            Glibc.close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        do {
            try POSIXFile.close(descriptor, path: temporaryPath)
            try POSIXFile.rename(temporaryPath, to: headerPath)
        } catch {
            unlink(temporaryPath)
            throw error
        }
    }

    /// Reads and validates `header.json`.
    public func readHeader() throws -> TraceHeader {
        let descriptor: Int32
        do {
            descriptor = try POSIXFile.openRegularFile(headerPath)
        } catch TraceError.systemCall(let failure) where failure.code == ENOENT {
            throw TraceError.missingHeader(path: path)
        }
        defer { Glibc.close(descriptor) }
        let sizeLimit = 16 << 20
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try POSIXFile.read(descriptor, into: $0, path: headerPath) }
            if count == 0 { break }
            contents.append(contentsOf: chunk[..<count])
            if contents.count > sizeLimit {
                throw TraceError.unreadableHeader(path: headerPath, reason: "larger than \(sizeLimit) bytes")
            }
        }
        return try TraceHeader.decode(json: contents, path: headerPath)
    }

    /// The path of the archived file with content hash `hash` (which need not exist). Hashes
    /// come from trace data, so anything but 64 lowercase hex digits is refused rather than
    /// being allowed to name a path outside `files/`.
    public func path(forFile hash: String) throws -> String {
        guard TraceDirectory.isValidFileHash(hash) else { throw TraceError.invalidFileHash(hash) }
        return filesPath + "/" + hash
    }

    /// Opens the archived file with content hash `hash` for reading. Only a regular file is
    /// opened: a symlink or a FIFO in `files/` is refused with an error naming it.
    public func openArchivedFile(_ hash: String) throws -> FileDescriptor {
        try TraceDirectory.openTraceFile(path(forFile: hash))
    }

    /// The path of the archived file with content hash `hash`, once it is checked to be a
    /// regular file, for the callers that must hand a path on (to `execve`, to a symbolizer).
    public func checkedPath(forFile hash: String) throws -> String {
        let archived = try path(forFile: hash)
        let descriptor = try TraceDirectory.openTraceFile(archived)
        try? descriptor.close()
        return archived
    }

    /// Opens a file inside a trace, named by its path, for reading, refusing anything but a
    /// regular file as `openArchivedFile` does.
    public static func openTraceFile(_ path: String) throws -> FileDescriptor {
        FileDescriptor(rawValue: try POSIXFile.openRegularFile(path), path: path)
    }

    /// True for 64 lowercase hex digits, the form of every archived file's name.
    public static func isValidFileHash(_ hash: String) -> Bool {
        let utf8 = hash.utf8
        return utf8.count == SHA256.digestByteCount * 2
            && utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
