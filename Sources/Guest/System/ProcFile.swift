import Glibc
import System

/// Small helpers for the `/proc` files the guest kernel reads.
public enum ProcFile {
    /// Reads a whole (small) file such as `/proc/PID/maps`.
    static func read(_ path: String) throws -> [UInt8] {
        let file = try FileDescriptor.open(path, flags: O_RDONLY)
        defer { try? file.close() }
        return try file.readAll()
    }

    /// The target of a symbolic link such as `/proc/PID/exe`.
    public static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try retryingOnInterrupt("readlink(\(path))") { readlink(path, &buffer, buffer.count - 1) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
