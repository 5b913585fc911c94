import Glibc

/// Writes a file that only its owner may read, atomically: the bytes go to a temporary file
/// created mode 0600 next to the destination, which is renamed over it once complete.
///
/// Reports made from a trace, such as `rrdbg timeline`'s page, contain what the program read
/// and wrote, so they are as private as the trace itself. Creating the file with its final mode
/// (rather than writing it and changing the mode afterwards) leaves no moment in which another
/// user could open it, and the rename means the destination is never half written.
enum PrivateFile {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path: String
        var errno: Int32

        var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
    }

    static func write(_ bytes: [UInt8], to destination: String) throws {
        let temporary = destination + ".\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        // Named after the destination: the temporary name would only puzzle the user.
        guard descriptor >= 0 else { throw Failure(operation: "create", path: destination, errno: errno) }
        var isOpen = true
        do {
            // open's mode is filtered by the umask; set it exactly.
            try check(fchmod(descriptor, 0o600), "set the permissions of", temporary)
            try writeAll(bytes, to: descriptor, path: temporary)
            try check(fsync(descriptor), "flush", temporary)
            // Linux releases the descriptor even when close fails.
            isOpen = false
            try check(close(descriptor), "close", temporary)
            try check(rename(temporary, destination), "rename \(temporary) to", destination)
        } catch {
            if isOpen {
                close(descriptor)
            }
            unlink(temporary)
            throw error
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure(operation: "write", path: path, errno: errno)
                }
                offset += written
            }
        }
    }

    private static func check(_ result: Int32, _ operation: String, _ path: String) throws {
        if result != 0 {
            throw Failure(operation: operation, path: path, errno: errno)
        }
    }
}
