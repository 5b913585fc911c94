import Guest
import Syscalls

/// Keeps everything a program sends to fds 1 and 2 flowing through its own memory.
///
/// Replay echoes the program's output by reading the bytes from the replaying process at each
/// write. Calls that move data between descriptors inside the kernel (`copy_file_range`,
/// `sendfile`, `splice`, `tee`: the calls with an `inKernelCopy`) would bypass that, so while
/// recording the guest kernel answers them with their `refusalErrno` when the destination is
/// fd 1 or 2. Programs such as coreutils' `cat` then fall back to read and write.
enum StandardStreamPolicy {
    /// The error to return instead of running the call, or nil to run it.
    static func refusal(for registers: Registers) -> Int32? {
        guard let copy = SyscallTable.descriptor(for: registers.syscallNumber)?.inKernelCopy else { return nil }
        let destination = registers.syscallArguments[copy.destinationArgument]
        return destination == 1 || destination == 2 ? copy.refusalErrno : nil
    }
}
