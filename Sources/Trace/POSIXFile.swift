import Glibc
import System

/// The handful of POSIX file operations the trace code needs, on System's `FileDescriptor`
/// (which retries `EINTR` and completes short transfers), with failures turned into
/// `TraceError`s that name the path.
///
/// Trace files are written on the recorder's hot path and must get exact modes (0600/0700)
/// regardless of the user's umask, so they go through these wrappers rather than Foundation.
enum POSIXFile {
    /// Opens `path`, retrying on `EINTR`; `operation` words the error ("create", "open", ...).
    static func open(_ path: String, flags: Int32, mode: mode_t = 0, operation: String) throws -> Int32 {
        try traceErrors { try FileDescriptor.open(path, flags: flags, mode: mode, operation: operation).rawValue }
    }

    /// Opens a file of a trace or of the bundle cache for reading, refusing anything but a
    /// regular file. Traces come from anyone, so a symlink is never followed (a trace could
    /// otherwise make rrdbg read, serve to gdb or map any file the user can read), and the open
    /// never waits (a FIFO would block it forever); a refusal names the file.
    static func openRegularFile(_ path: String) throws -> Int32 {
        let descriptor: Int32
        do {
            descriptor = try open(path, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK, operation: "open")
        } catch TraceError.systemCall(let failure) where failure.code == ELOOP {
            guard let info = try status(path), isSymlink(info) else { throw TraceError.systemCall(failure) }
            throw TraceError.refusedFile(path: path, reason: "it is a symbolic link")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let failure = Errno.current("inspect", path: path)
            Glibc.close(descriptor)
            throw TraceError.systemCall(failure)
        }
        guard isRegularFile(info) else {
            Glibc.close(descriptor)
            throw TraceError.refusedFile(path: path, reason: "it is \(kind(of: info)), not a regular file")
        }
        return descriptor
    }

    /// What a file is, for messages: "a FIFO", "a directory".
    private static func kind(of info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// Creates a new file that must not exist yet, with exactly `mode` (the umask is overridden).
    static func createExclusive(_ path: String, mode: mode_t) throws -> Int32 {
        let descriptor = try open(
            path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode, operation: "create")
        do {
            try setMode(descriptor, mode, path: path)
        } catch {
            Glibc.close(descriptor)
            unlink(path)
            throw error
        }
        return descriptor
    }

    /// Sets the mode of an open file, so it does not depend on the umask.
    static func setMode(_ descriptor: Int32, _ mode: mode_t, path: String) throws {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).setMode(mode) }
    }

    /// Writes every byte of `bytes`, continuing after short writes and `EINTR`.
    /// A full disk or quota becomes `TraceError.diskFull`.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).writeAll(bytes) }
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).read(into: buffer) }
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position.
    static func read(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, path: String
    ) throws -> Int {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).read(into: buffer, at: offset) }
    }

    /// Flushes a file to stable storage, so a rename that follows cannot expose an empty file.
    static func sync(_ descriptor: Int32, path: String) throws {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).sync() }
    }

    /// Closes a descriptor. Errors from `close` are reported because on some file systems they
    /// are the first sign that written data did not reach the disk.
    static func close(_ descriptor: Int32, path: String) throws {
        try traceErrors { try FileDescriptor(rawValue: descriptor, path: path).close() }
    }

    /// Runs POSIX calls, turning their failures into trace errors: a full disk or quota becomes
    /// `TraceError.diskFull`, anything else `TraceError.systemCall`.
    static func traceErrors<T>(_ calls: () throws -> T) throws -> T {
        do {
            return try calls()
        } catch let failure as Errno {
            if failure.isDiskFull { throw TraceError.diskFull(path: failure.path ?? "") }
            throw TraceError.systemCall(failure)
        }
    }

    /// Renames atomically, replacing `destination` if it exists.
    static func rename(_ source: String, to destination: String) throws {
        if Glibc.rename(source, destination) != 0 {
            throw TraceError.systemCall(Errno(errno, operation: "rename \(source) to", path: destination))
        }
    }

    /// `lstat` of a path, or nil if nothing is there.
    static func status(_ path: String, followingSymlinks: Bool = false) throws -> stat? {
        var info = stat()
        let result = followingSymlinks ? stat(path, &info) : lstat(path, &info)
        if result == 0 { return info }
        let failure = errno
        if failure == ENOENT || failure == ENOTDIR { return nil }
        throw TraceError.systemCall(Errno(failure, operation: "inspect", path: path))
    }

    static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }
    static func isSymlink(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFLNK }
    static func isRegularFile(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFREG }

    /// Creates one directory with exactly `mode`. Returns false if it already existed.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t) throws -> Bool {
        if mkdir(path, mode) != 0 {
            let failure = errno
            if failure == EEXIST { return false }
            throw TraceError.systemCall(Errno(failure, operation: "create directory", path: path))
        }
        if chmod(path, mode) != 0 {
            throw TraceError.systemCall(Errno(errno, operation: "set the permissions of", path: path))
        }
        return true
    }

    /// Creates `path` and any missing parents; only directories created here get `mode`.
    static func makeDirectories(_ path: String, mode: mode_t) throws {
        if let info = try status(path, followingSymlinks: true) {
            if isDirectory(info) { return }
            throw TraceError.systemCall(Errno(ENOTDIR, operation: "create directory", path: path))
        }
        let parent = parentPath(of: path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        try makeDirectory(path, mode: mode)
    }

    /// The names in a directory, without `.` and `..`.
    static func directoryEntries(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw TraceError.systemCall(Errno(errno, operation: "list", path: path))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The contents of a symbolic link, or nil if `path` is not one.
    static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { characters in
            characters.baseAddress.map { readlink(path, $0, characters.count - 1) } ?? -1
        }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` with its last component removed ("/" and "." stay as they are).
    static func parentPath(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component of a path ("/usr/bin/ls" gives "ls").
    static func baseName(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// A name for a temporary file next to its final destination. The random part keeps two
    /// writers (threads or processes) apart; creation with `O_EXCL` catches the rest.
    static func temporaryName(for destination: String) -> String {
        let nonce = String(UInt64.random(in: .min ... .max), radix: 16)
        return "\(destination).tmp-\(getpid())-\(nonce)"
    }
}
