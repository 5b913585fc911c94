import Glibc
import Guest

/// Copies what the replayed program writes to its fds 1 and 2 to rrdbg's own stdout and stderr.
///
/// The bytes are read from the replaying process's memory at the emulated write, not from the
/// trace, so the echo shows what the replay itself computed.
enum OutputEcho {
    static let write = 1
    static let writev = 20

    /// Whether the call's output goes to rrdbg's stdout or stderr: `write`/`writev` to fd 1 or 2.
    static func destination(number: Int, arguments: [UInt64]) -> Int32? {
        let fd = Int32(truncatingIfNeeded: arguments[0])
        guard number == write || number == writev, fd == 1 || fd == 2 else { return nil }
        return fd
    }

    static func emit(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            // A closed stdout (`rrdbg replay | head`) must not stop the replay.
            guard written > 0 else { return }
            offset += written
        }
    }
}
