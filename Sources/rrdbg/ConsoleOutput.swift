import Glibc
import Replayer
import System

/// rrdbg's own output, written so that a failing stream is an error, not a crash: Foundation's
/// `FileHandle.write` traps when the write fails (stdout on a full disk, a closed stderr).
enum ConsoleOutput {
    /// Writes `bytes` to stdout; a failure (a full disk, say) is an error naming the stream.
    static func write(_ bytes: [UInt8]) throws {
        try FileDescriptor(rawValue: STDOUT_FILENO, path: "standard output").writeAll(bytes)
    }

    static func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Prints a message for the user on stderr, or nothing if stderr cannot take it: there is
    /// nowhere else to report that.
    static func message(_ text: String) {
        FileHandleWriter.standardError(text)
    }
}
