import Glibc
import Syscalls
import Trace
import System

/// Copies what the replayed program wrote to rrdbg's stdout and stderr to rrdbg's own.
///
/// The bytes are read from the replaying process's memory at the emulated write, not from the
/// trace, so the echo shows what the replay itself computed.
enum OutputEcho {
    /// 1 or 2 when the recorded call's output reached rrdbg's stdout or stderr. Since format 2
    /// the trace says so for each write (a guest's fd 1 may be a pipe to another guest
    /// process); format 1 traces had one process, whose fds 1 and 2 were rrdbg's.
    static func destination(of recorded: SyscallEvent, formatVersion: Int) -> Int32? {
        if formatVersion >= 2 {
            if recorded.flags.contains(.toStandardOutput) { return 1 }
            if recorded.flags.contains(.toStandardError) { return 2 }
            return nil
        }
        let fd = Int32(truncatingIfNeeded: recorded.arguments[0])
        let call = Syscall(rawValue: recorded.number)
        guard call == .write || call == .writev, fd == 1 || fd == 2 else { return nil }
        return fd
    }

    static func emit(_ bytes: [UInt8], to fd: Int32) {
        // A closed stdout (`rrdbg replay | head`) must not stop the replay.
        try? FileDescriptor(rawValue: fd).writeAll(bytes)
    }
}
