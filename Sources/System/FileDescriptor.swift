import Glibc

/// An open file descriptor, with the reads and writes rrdbg needs done completely: `EINTR` is
/// retried, short transfers are continued, and failures are `Errno` values naming the file.
///
/// It does not close itself: descriptors are passed between owners (a trace writer keeps its
/// output open across calls), so closing stays an explicit `close()`.
public struct FileDescriptor: Sendable {
    public var rawValue: Int32
    /// The file's path, for error messages only.
    public var path: String?

    public init(rawValue: Int32, path: String? = nil) {
        self.rawValue = rawValue
        self.path = path
    }

    /// Opens `path` with close-on-exec always set; `operation` words the error ("create", "open").
    public static func open(
        _ path: String, flags: Int32, mode: mode_t = 0, operation: String = "open"
    ) throws -> FileDescriptor {
        let descriptor = try retryingOnInterrupt(operation, path: path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(rawValue: descriptor, path: path)
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retryingOnInterrupt("read", path: path) { Glibc.read(rawValue, base, buffer.count) }
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retryingOnInterrupt("read", path: path) { pread(rawValue, base, buffer.count, off_t(offset)) }
    }

    /// Reads until end of file.
    public func readAll() throws -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes every byte of `bytes`, continuing after short writes. A write that makes no
    /// progress fails with `EIO`.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = try retryingOnInterrupt("write", path: path) { Glibc.write(rawValue, next, remaining) }
            if written == 0 { throw Errno(EIO, operation: "write", path: path) }
            next += written
            remaining -= written
        }
    }

    /// Writes every byte of `bytes`.
    public func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    /// Sets the file's mode exactly, whatever the umask was when it was created.
    public func setMode(_ mode: mode_t) throws {
        try retryingOnInterrupt("set the permissions of", path: path) { fchmod(rawValue, mode) }
    }

    /// Flushes the file to stable storage.
    public func sync() throws {
        try retryingOnInterrupt("sync", path: path) { fsync(rawValue) }
    }

    /// Closes the descriptor. Linux releases it even when `close` fails, so `EINTR` is not
    /// retried (that could close a descriptor another thread just opened); other failures are
    /// reported because on some file systems they are the first sign that data did not reach
    /// the disk.
    public func close() throws {
        if Glibc.close(rawValue) != 0 && errno != EINTR {
            throw Errno.current("close", path: path)
        }
    }
}
