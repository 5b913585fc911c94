import Glibc
import System

/// The `files/` part of a trace: copies of every executable and library the program mapped,
/// each named by the lowercase hex SHA-256 of its content.
///
/// Replay maps these copies instead of the originals, so a trace still replays after the
/// program is rebuilt or deleted. Naming by content stores each distinct file once, and a copy
/// appears under its final name only when complete (it is written to a temporary name, then
/// renamed), so a crash never leaves a truncated file that looks valid.
///
/// A process maps the same libraries over and over; an in-memory cache keyed by the file's
/// identity (device, inode, size, modification time) avoids reading and hashing them again.
public final class FileArchive {
    /// The trace whose `files/` this archive fills.
    public let directory: TraceDirectory

    private var hashesByIdentity: [FileIdentity: String] = [:]

    public init(directory: TraceDirectory) {
        self.directory = directory
    }

    /// Archives the regular file at `path` and returns its content hash. The copy gets mode
    /// 0700 when `executable` is true (so it can be exec'd), otherwise 0600.
    public func storeFile(at path: String, executable: Bool) throws -> String {
        let descriptor = try POSIXFile.open(path, flags: O_RDONLY, operation: "open")
        defer { Glibc.close(descriptor) }
        return try storeFile(descriptor: descriptor, executable: executable, originalPath: path)
    }

    /// Archives the regular file open as `descriptor` and returns its content hash. The file is
    /// read with `pread` from offset 0, so the descriptor's position is left alone.
    /// `originalPath` is only used in error messages.
    public func storeFile(descriptor: Int32, executable: Bool, originalPath: String) throws -> String {
        let identity = try FileIdentity(descriptor: descriptor, path: originalPath)
        if let hash = hashesByIdentity[identity],
            let archivedInfo = try POSIXFile.status(try directory.path(forFile: hash)),
            POSIXFile.isRegularFile(archivedInfo)
        {
            try ensureMode(of: hash, executable: executable, currentMode: archivedInfo.st_mode)
            return hash
        }
        let hash = try copyIntoArchive(descriptor: descriptor, executable: executable, originalPath: originalPath)
        if try FileIdentity(descriptor: descriptor, path: originalPath) == identity {
            hashesByIdentity[identity] = hash
        }
        return hash
    }

    /// Copies the file to a temporary name while hashing it, then renames the copy to its hash
    /// (or drops it if an identical file is already archived).
    private func copyIntoArchive(descriptor: Int32, executable: Bool, originalPath: String) throws -> String {
        let temporaryPath = POSIXFile.temporaryName(for: directory.filesPath + "/.incoming")
        let mode: mode_t = executable ? 0o700 : 0o600
        let copy = try POSIXFile.createExclusive(temporaryPath, mode: mode)
        var hasher = SHA256()
        do {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var offset: Int64 = 0
            while true {
                let count = try chunk.withUnsafeMutableBytes { raw in
                    try POSIXFile.read(descriptor, into: raw, at: offset, path: originalPath)
                }
                if count == 0 { break }
                try chunk.withUnsafeBytes { raw in
                    let piece = UnsafeRawBufferPointer(rebasing: raw[..<count])
                    hasher.update(piece)
                    try POSIXFile.writeAll(copy, piece, path: temporaryPath)
                }
                offset += Int64(count)
            }
        } catch {
            Glibc.close(copy)
            unlink(temporaryPath)
            throw error
        }
        let hash = hasher.finalizeHex()
        do {
            try POSIXFile.close(copy, path: temporaryPath)
            let finalPath = try directory.path(forFile: hash)
            if let existing = try POSIXFile.status(finalPath), POSIXFile.isRegularFile(existing) {
                unlink(temporaryPath)
                try ensureMode(of: hash, executable: executable, currentMode: existing.st_mode)
            } else {
                try POSIXFile.rename(temporaryPath, to: finalPath)
            }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        return hash
    }

    /// Makes an archived copy executable if it is now needed as an executable.
    private func ensureMode(of hash: String, executable: Bool, currentMode: mode_t) throws {
        guard executable && currentMode & S_IXUSR == 0 else { return }
        let path = try directory.path(forFile: hash)
        if chmod(path, 0o700) != 0 {
            throw TraceError.systemCall(Errno(errno, operation: "set the permissions of", path: path))
        }
    }
}

/// What makes two opens of a file "the same file with the same content" for caching purposes.
private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modificationSeconds: Int
    var modificationNanoseconds: Int

    init(descriptor: Int32, path: String) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw TraceError.systemCall(Errno(errno, operation: "inspect", path: path))
        }
        guard POSIXFile.isRegularFile(info) else { throw TraceError.notARegularFile(path: path) }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modificationSeconds = Int(info.st_mtim.tv_sec)
        modificationNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
