import Glibc

/// Writes rrdbg's own messages to its stderr, with plain write(2) calls that cannot fail the
/// caller.
public enum FileHandleWriter {
    public static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
