import Glibc
import Guest

/// Copies what the replayed program writes to its fds 1 and 2 to rrdbg's own stdout and stderr.
///
/// The bytes are read from the replaying process's memory at the emulated write, not from the
/// trace, so the echo shows what the replay itself computed.
enum OutputEcho {
    static let write = 1
    static let writev = 20

    static func echo(number: Int, arguments: [UInt64], result: Int64, memory: GuestMemory) throws {
        let fd = Int32(truncatingIfNeeded: arguments[0])
        guard result > 0, fd == 1 || fd == 2 else { return }
        switch number {
        case write:
            emit(try memory.read(arguments[1], count: Int(result)), to: fd)
        case writev:
            var remaining = Int(result)
            var iovec = arguments[1]
            for _ in 0..<Int(min(arguments[2], 1024)) where remaining > 0 {
                let base = try memory.readWord(iovec)
                let length = Int(min(try memory.readWord(iovec + 8), UInt64(remaining)))
                emit(try memory.read(base, count: length), to: fd)
                remaining -= length
                iovec += 16
            }
        default:
            return
        }
    }

    private static func emit(_ bytes: [UInt8], to fd: Int32) {
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
