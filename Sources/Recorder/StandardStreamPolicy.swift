import Glibc
import Guest

/// Keeps everything a program sends to fds 1 and 2 flowing through its own memory.
///
/// Replay echoes the program's output by reading the bytes from the replaying process at each
/// write. Calls that move data between descriptors inside the kernel (`copy_file_range`,
/// `sendfile`, `splice`, `tee`) would bypass that, so while recording the guest kernel answers
/// them with the error a kernel without them would give when the destination is fd 1 or 2.
/// Programs such as coreutils' `cat` then fall back to read and write.
enum StandardStreamPolicy {
    /// The error to return instead of running the call, or nil to run it.
    static func refusal(for registers: Registers) -> Int32? {
        let arguments = registers.syscallArguments
        let destination: UInt64
        let error: Int32
        switch registers.syscallNumber {
        case 40: (destination, error) = (arguments[0], EINVAL)     // sendfile(out_fd, ...)
        case 275: (destination, error) = (arguments[2], EINVAL)    // splice(fd_in, off_in, fd_out, ...)
        case 276: (destination, error) = (arguments[1], EINVAL)    // tee(fd_in, fd_out, ...)
        case 326: (destination, error) = (arguments[2], ENOSYS)    // copy_file_range(fd_in, off_in, fd_out, ...)
        default: return nil
        }
        return destination == 1 || destination == 2 ? error : nil
    }
}
