import Glibc

/// A file that a command writes whole for the user (a bundle, a timeline page), delivered to
/// the destination the user named by one policy for every command:
///
/// - a missing path or a regular file is replaced atomically: the bytes go to a temporary file
///   next to it, created with its final mode, which is renamed over it once complete, so the
///   destination is always either the old file or a whole new one;
/// - a character device, a FIFO and standard output (`-o -`) are written through, never
///   replaced: renaming over `/dev/null` as root turned it into a regular file;
/// - a symbolic link is never replaced: a link to a regular file has its target replaced, a
///   link to a device or FIFO (such as `/dev/stdout`) is written through, and any other link
///   is refused;
/// - anything else (a socket, a block device) is refused.
///
/// The bytes always go first to a private, seekable file of their own, because a bundle's
/// header is written last at offset 0, and because a reader at the other end of a stream should
/// get a whole output or nothing; `commit()` then renames that file into place or copies it
/// through.
public struct OutputFile {
    /// Where the user asked for the output.
    public enum Destination: Equatable, CustomStringConvertible, Sendable {
        case standardOutput
        case path(String)

        /// The destination as messages name it.
        public var description: String {
            switch self {
            case .standardOutput: return "standard output"
            case .path(let path): return path
            }
        }
    }

    /// Why a destination was refused before anything was written.
    public struct Refusal: Error, Equatable, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String

        public var description: String { "cannot write \(path): \(reason); nothing was written" }
    }

    /// Where to write the output: a new regular file of its own, seekable.
    public let descriptor: FileDescriptor
    private let delivery: Delivery

    private enum Delivery {
        /// Rename the temporary file over the destination, a regular file or nothing.
        case rename(temporary: String, destination: String)
        /// Copy the (already unlinked) staging file into the open destination.
        case copy(to: FileDescriptor, closing: Bool)
    }

    /// Decides how `destination` is written and opens the file to write to, created with
    /// exactly `mode`. Refusals and failures to open come now, before any work is done.
    public static func create(_ destination: Destination, mode: mode_t) throws -> OutputFile {
        switch destination {
        case .standardOutput:
            ignoreBrokenPipes()
            let output = FileDescriptor(rawValue: STDOUT_FILENO, path: destination.description)
            return OutputFile(descriptor: try staging(mode: mode), delivery: .copy(to: output, closing: false))
        case .path(let path):
            switch try plan(for: path) {
            case .replace(let target):
                let (file, temporary) = try temporary(nextTo: target, named: path, mode: mode)
                return OutputFile(descriptor: file, delivery: .rename(temporary: temporary, destination: target))
            case .writeThrough(let followingLinks):
                ignoreBrokenPipes()
                let output = try openStream(path, followingLinks: followingLinks)
                do {
                    return OutputFile(descriptor: try staging(mode: mode), delivery: .copy(to: output, closing: true))
                } catch {
                    try? output.close()
                    throw error
                }
            }
        }
    }

    /// Writes `bytes` as the whole output to `destination`.
    public static func write(_ bytes: [UInt8], to destination: Destination, mode: mode_t) throws {
        let output = try create(destination, mode: mode)
        do {
            try output.descriptor.writeAll(bytes)
        } catch {
            output.discard()
            throw error
        }
        try output.commit()
    }

    private init(descriptor: FileDescriptor, delivery: Delivery) {
        self.descriptor = descriptor
        self.delivery = delivery
    }

    /// Delivers the whole output to the destination and closes everything.
    public func commit() throws {
        switch delivery {
        case .rename(let temporary, let destination):
            do {
                do {
                    try descriptor.sync()
                } catch {
                    try? descriptor.close()
                    throw error
                }
                // Linux releases the descriptor even when close fails.
                try descriptor.close()
                // The path was checked when the output was created; check again just before
                // replacing it, so a device or link put there since is not renamed over either.
                guard try OutputFile.isReplaceable(destination) else {
                    throw Refusal(path: destination, reason: "it is no longer a regular file")
                }
                try retryingOnInterrupt("rename \(temporary) to", path: destination) { rename(temporary, destination) }
            } catch {
                unlink(temporary)
                throw error
            }
        case .copy(let output, let closing):
            defer { try? descriptor.close() }
            do {
                try copy(to: output)
            } catch {
                if closing { try? output.close() }
                throw error
            }
            if closing { try output.close() }
        }
    }

    /// Gives up: removes the temporary file and leaves the destination as it was.
    public func discard() {
        try? descriptor.close()
        switch delivery {
        case .rename(let temporary, _):
            unlink(temporary)
        case .copy(let output, let closing):
            if closing { try? output.close() }
        }
    }

    /// How a path is written. A symbolic link is resolved here, never replaced.
    private enum Plan {
        case replace(String)
        case writeThrough(followingLinks: Bool)
    }

    private static func plan(for path: String) throws -> Plan {
        if try isReplaceable(path) { return .replace(path) }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw Errno.current("inspect", path: path) }
        switch info.st_mode & S_IFMT {
        case S_IFCHR, S_IFIFO: return .writeThrough(followingLinks: false)
        case S_IFLNK: break
        default: throw Refusal(path: path, reason: "it is not a regular file, a character device or a FIFO")
        }
        guard stat(path, &info) == 0 else {
            throw Refusal(path: path, reason: "it is a symbolic link that leads to nothing")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            guard let resolved = realpath(path, nil) else { throw Errno.current("resolve", path: path) }
            defer { free(resolved) }
            return .replace(String(cString: resolved))
        case S_IFCHR, S_IFIFO:
            return .writeThrough(followingLinks: true)
        default:
            throw Refusal(path: path, reason: "it is a symbolic link to something other than a regular file, a character device or a FIFO")
        }
    }

    /// Opens an existing device or FIFO for writing, and makes sure that is what was opened
    /// (the path could have changed since it was looked at). A FIFO's open waits for a reader.
    private static func openStream(_ path: String, followingLinks: Bool) throws -> FileDescriptor {
        let output = try FileDescriptor.open(
            path, flags: O_WRONLY | O_NOCTTY | (followingLinks ? 0 : O_NOFOLLOW), operation: "open")
        var info = stat()
        let kind = fstat(output.rawValue, &info) == 0 ? info.st_mode & S_IFMT : 0
        guard kind == S_IFCHR || kind == S_IFIFO else {
            try? output.close()
            throw Refusal(path: path, reason: "it is no longer a character device or a FIFO")
        }
        return output
    }

    /// True if nothing is at `path` or a regular file is: the only things renamed over.
    private static func isReplaceable(_ path: String) throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return true }
            throw Errno.current("inspect", path: path)
        }
        return info.st_mode & S_IFMT == S_IFREG
    }

    /// Creates the temporary file that will replace `destination`, and returns it with its
    /// path. Errors name the path the user gave: the temporary name would only puzzle them.
    private static func temporary(
        nextTo destination: String, named path: String, mode: mode_t
    ) throws -> (FileDescriptor, String) {
        let temporary = destination + ".tmp-\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        do {
            return (try createPrivate(temporary, mode: mode), temporary)
        } catch var failure as Errno {
            failure.path = path
            throw failure
        }
    }

    /// An unnamed file in the temporary directory for output headed to a stream: unlinked at
    /// once, so nothing is left behind whatever happens to rrdbg.
    private static func staging(mode: mode_t) throws -> FileDescriptor {
        var directory = getenv("TMPDIR").map { String(cString: $0) } ?? ""
        if directory.isEmpty { directory = "/tmp" }
        let path = directory + "/rrdbg-output-\(getpid())-\(UInt64.random(in: .min ... .max))"
        let file = try createPrivate(path, mode: mode)
        unlink(path)
        return file
    }

    /// Creates a new file with exactly `mode`, whatever the umask, and never through a link.
    private static func createPrivate(_ path: String, mode: mode_t) throws -> FileDescriptor {
        let file = try FileDescriptor.open(
            path, flags: O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode, operation: "create")
        do {
            try file.setMode(mode)
        } catch {
            try? file.close()
            unlink(path)
            throw error
        }
        return file
    }

    /// Copies the staging file from its start into `output`.
    private func copy(to output: FileDescriptor) throws {
        guard lseek(descriptor.rawValue, 0, SEEK_SET) == 0 else { throw Errno.current("seek in", path: descriptor.path) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
            if count == 0 { return }
            try chunk.withUnsafeBytes { try output.writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// A reader that goes away (`rrdbg pack -o - | head`) becomes an `EPIPE` error with a
    /// message, rather than rrdbg dying silently by SIGPIPE.
    private static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}
