/// A call that moves data from one descriptor to another inside the kernel (`sendfile`,
/// `splice`), never through the program's memory.
///
/// Replay echoes a program's output by reading it from the replaying process's memory, which
/// such a call bypasses; the recorder therefore refuses it when it writes to fd 1 or 2.
public struct InKernelCopy: Equatable, Sendable {
    /// The argument holding the descriptor that receives the data.
    public var destinationArgument: Int
    /// The errno the refused call fails with: one the call gives anyway for descriptors it
    /// can't use (`EINVAL`), or that a kernel without the call gives (`ENOSYS`), so that
    /// programs fall back to `read` and `write`.
    public var refusalErrno: Int32

    public init(destinationArgument: Int, refusalErrno: Int32) {
        self.destinationArgument = destinationArgument
        self.refusalErrno = refusalErrno
    }
}
