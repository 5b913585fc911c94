/// Whether a syscall may wait for another thread, another process or the outside world.
///
/// One guest thread runs at a time, so a thread that blocks in the kernel must give up its
/// turn, or the thread that would wake it never runs. The recorder lets calls that may block
/// run in the kernel at once while other threads run. A call that takes long anyway (a `write`
/// to a full pipe) is noticed by a short timeout instead; this fact saves that wait for the
/// calls that block most.
public enum SyscallBlocking: Equatable, Sendable {
    case never
    case always
    /// Only in some variants: a `futex` wait, but not a wake; an `fcntl` lock that waits.
    case only(SyscallVariants)
}

/// Some of the variants of a call that multiplexes operations through a selector argument
/// (a futex operation, an fcntl command).
public struct SyscallVariants: Equatable, Sendable {
    /// The argument holding the selector.
    public var argument: Int
    /// The selector's bits that choose the variant; the kernel ignores or separately reads
    /// the others (for example the futex operation's `FUTEX_PRIVATE_FLAG`).
    public var mask: UInt64
    public var selectors: Set<UInt64>

    public init(argument: Int, mask: UInt64, selectors: Set<UInt64>) {
        self.argument = argument
        self.mask = mask
        self.selectors = selectors
    }

    /// Whether a call with these arguments (rdi, rsi, rdx, r10, r8, r9) is one of the variants.
    public func contain(_ arguments: [UInt64]) -> Bool {
        arguments.indices.contains(argument) && selectors.contains(arguments[argument] & mask)
    }
}
