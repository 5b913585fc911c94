/// What replay does with a system call the guest makes.
///
/// Replay never needs the outside world: most calls are emulated from the trace. Only calls
/// that shape the replaying process itself (its address space, signal state, exit) run for real.
public enum ReplayAction: Equatable, Sendable {
    /// Skip the call; return the recorded result and write the recorded memory.
    case emulate
    /// Run the call for real; its result must equal the recorded one.
    case execute
    /// Run the call for real for its effect on the replaying process, then return the
    /// recorded result (for example `set_tid_address`, which returns the tid).
    case executeForcingResult
    /// `mmap`: replay places the same memory at the recorded address, filling file-backed
    /// mappings from the trace's archived copy.
    case mapMemory
    /// `exit`/`exit_group`: run for real; the recorded exit status must follow.
    case exit
    /// `clone`, `fork`, `vfork`: run for real, then the new thread or process gets its recorded
    /// id. `vfork` runs as `fork` in both recording and replay (see `TaskCreation`).
    case createTask
    /// `execve`: replay runs the trace's copy of the program that was executed.
    case replaceImage
}

/// How `dump` shows one argument, strace-style.
public enum ArgumentFormat: Equatable, Sendable {
    /// A C `int`: the kernel reads only the low 32 bits, so `-1` may arrive as `0xffffffff`.
    case signed
    case unsigned
    case hex
    /// An address: `NULL` when zero, hex otherwise.
    case pointer
    /// A 64-bit signed file offset (`off_t`, `loff_t`).
    case offset
    case fd
    /// `AT_FDCWD` or a file descriptor.
    case dirfd
    /// A pointer to a NUL-terminated string the call reads; the recorder captures it.
    case string
    case octalMode
    case openFlags
    case mmapProtection
    case mmapFlags
    case signal
    case whence
    case clockID
    case ioctlRequest
    case fcntlCommand
    case accessMode
    case socketFamily
    case madviseAdvice
    /// `AT_*` flags of the `*at` calls.
    case atFlags
    /// File status flags without an access mode (`pipe2`, `dup3`): `O_CLOEXEC|O_NONBLOCK`.
    case statusFlags
    /// `prctl`'s option, `PR_*`.
    case prctlOption
    /// `arch_prctl`'s code, `ARCH_*`.
    case archPrctlCode
    /// `futex`'s operation, `FUTEX_*` with its `_PRIVATE` and `FUTEX_CLOCK_REALTIME` bits.
    case futexOperation
    /// `rt_sigprocmask`'s `SIG_BLOCK`, `SIG_UNBLOCK` or `SIG_SETMASK`.
    case sigprocmaskHow
}

/// A range of guest memory that a call writes.
public struct MemoryRange: Equatable, Sendable {
    public var address: UInt64
    public var length: Int

    public init(address: UInt64, length: Int) {
        self.address = address
        self.length = length
    }
}

/// Read access to guest memory, for out-buffers the table must find indirectly
/// (iovec arrays, `msghdr`).
public protocol GuestMemoryReading {
    func read(_ address: UInt64, count: Int) throws -> [UInt8]
}

/// What a finished call looked like, for working out which memory it wrote.
public struct SyscallOutputContext {
    /// rdi, rsi, rdx, r10, r8, r9 at entry.
    public var arguments: [UInt64]
    /// The raw return value: negative values in -4095...-1 are `-errno`.
    public var result: Int64
    public var memory: any GuestMemoryReading

    public init(arguments: [UInt64], result: Int64, memory: any GuestMemoryReading) {
        self.arguments = arguments
        self.result = result
        self.memory = memory
    }
}

/// Thrown by an output rule when a call's variant (an ioctl request, an fcntl command)
/// is not in the table, so its memory effects are unknown.
public struct UnknownSyscallVariant: Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Everything rrdbg knows about one system call: how to show it, which memory the kernel
/// writes, and how replay treats it.
public struct SyscallDescriptor: Sendable {
    public var number: Int
    public var name: String
    public var arguments: [ArgumentFormat]
    public var replay: ReplayAction
    /// The memory the call wrote, given its arguments and result. Only called for results that
    /// are not errors.
    public var outputs: @Sendable (SyscallOutputContext) throws -> [MemoryRange]

    public init(
        number: Int, name: String, arguments: [ArgumentFormat], replay: ReplayAction = .emulate,
        outputs: @escaping @Sendable (SyscallOutputContext) throws -> [MemoryRange] = { _ in [] }
    ) {
        self.number = number
        self.name = name
        self.arguments = arguments
        self.replay = replay
        self.outputs = outputs
    }
}
