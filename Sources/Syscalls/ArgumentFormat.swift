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
