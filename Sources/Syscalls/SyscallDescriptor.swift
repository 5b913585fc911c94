/// Everything rrdbg knows about one system call: how to show it, which memory the kernel
/// writes, how replay treats it, and every other fact the guest kernel acts on.
///
/// Each fact is a field, so describing a call is one row of its family's table. A call that
/// blocks, sends data or creates a descriptor says so in its own row; no list elsewhere, kept by
/// number, has to learn about it too.
public struct SyscallDescriptor: Sendable {
    public var syscall: Syscall
    public var arguments: [ArgumentFormat]
    public var replay: ReplayAction
    /// Whether the call may wait for another thread, another process or the outside world.
    public var blocks: SyscallBlocking
    /// The bytes a write-family call hands to the kernel, which recording digests and replay
    /// compares and echoes.
    public var outgoingData: OutgoingData?
    /// How the recorder answers the call itself at its entry, without the kernel.
    public var tracerAnswer: TracerAnswer?
    /// What the call does to the process's file descriptors.
    public var fileDescriptors: FileDescriptorEffect?
    /// For a descriptor wait that installs a signal mask of its own: where that mask is.
    public var waitSignalMask: WaitSignalMask?
    /// For a call that moves data between descriptors inside the kernel: which descriptor
    /// receives it.
    public var inKernelCopy: InKernelCopy?
    /// Whether the call also writes its outputs when a signal interrupts it: the sleeps store
    /// the time left, and the program reads it.
    public var writesWhenInterrupted: Bool
    /// The memory the call wrote, given its arguments and result. Only called for results that
    /// are not errors, or for interrupted calls that `writesWhenInterrupted`.
    public var outputs: SyscallOutputRule

    /// A row of a family table: the call, its argument formats and replay action, the facts
    /// that apply to it, and an output rule that defaults to "writes nothing".
    public init(
        _ syscall: Syscall, _ arguments: [ArgumentFormat], _ replay: ReplayAction = .emulate,
        blocks: SyscallBlocking = .never, outgoingData: OutgoingData? = nil, tracerAnswer: TracerAnswer? = nil,
        fileDescriptors: FileDescriptorEffect? = nil, waitSignalMask: WaitSignalMask? = nil,
        inKernelCopy: InKernelCopy? = nil, writesWhenInterrupted: Bool = false,
        writes outputs: @escaping SyscallOutputRule = { _ in [] }
    ) {
        self.syscall = syscall
        self.arguments = arguments
        self.replay = replay
        self.blocks = blocks
        self.outgoingData = outgoingData
        self.tracerAnswer = tracerAnswer
        self.fileDescriptors = fileDescriptors
        self.waitSignalMask = waitSignalMask
        self.inKernelCopy = inKernelCopy
        self.writesWhenInterrupted = writesWhenInterrupted
        self.outputs = outputs
    }

    public var number: Int { syscall.rawValue }
    public var name: String { syscall.name }

    /// Whether the call, made with these arguments (rdi, rsi, rdx, r10, r8, r9), may block.
    public func mayBlock(_ arguments: [UInt64]) -> Bool {
        switch blocks {
        case .never: false
        case .always: true
        case .only(let variants): variants.contain(arguments)
        }
    }

    /// The memory the finished call wrote: nothing for a failed call, otherwise what the
    /// output rule says. Use this rather than calling `outputs` directly, so that a failed
    /// call never consults a rule: the rules describe successful calls only, and an ioctl
    /// request the table doesn't know must not be refused when it merely failed.
    /// Calls that `writesWhenInterrupted` are the exception: a signal interrupting them makes
    /// them fail with `EINTR` (or a restart code) after writing.
    public func writtenMemory(_ context: SyscallOutputContext) throws -> [MemoryRange] {
        guard context.isError else { return try outputs(context) }
        let interrupted = context.result == -4 || SyscallResult.isRestart(context.result)
        return interrupted && writesWhenInterrupted ? try outputs(context) : []
    }
}
