import Glibc
import System

/// Writes a file that only its owner may read, atomically: the bytes go to a temporary file
/// created mode 0600 next to the destination, which is renamed over it once complete.
///
/// Reports made from a trace, such as `rrdbg timeline`'s page, contain what the program read
/// and wrote, so they are as private as the trace itself. Creating the file with its final mode
/// (rather than writing it and changing the mode afterwards) leaves no moment in which another
/// user could open it, and the rename means the destination is never half written.
enum PrivateFile {
    static func write(_ bytes: [UInt8], to destination: String) throws {
        let temporary = destination + ".\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(
                temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600, operation: "create")
        } catch var failure as Errno {
            // Named after the destination: the temporary name would only puzzle the user.
            failure.path = destination
            throw failure
        }
        var isOpen = true
        do {
            // open's mode is filtered by the umask; set it exactly.
            try file.setMode(0o600)
            try file.writeAll(bytes)
            try file.sync()
            // Linux releases the descriptor even when close fails.
            isOpen = false
            try file.close()
            try retryingOnInterrupt("rename \(temporary) to", path: destination) { rename(temporary, destination) }
        } catch {
            if isOpen {
                try? file.close()
            }
            unlink(temporary)
            throw error
        }
    }
}
