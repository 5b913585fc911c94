import Glibc

/// Small helpers for the `/proc` files the guest kernel reads.
public enum ProcFile {
    /// Reads a whole (small) file such as `/proc/PID/maps`.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = try retryingOnInterrupt("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try retryingOnInterrupt("read(\(path))") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// The target of a symbolic link such as `/proc/PID/exe`.
    public static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try retryingOnInterrupt("readlink(\(path))") { readlink(path, &buffer, buffer.count - 1) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
