/// What a successful call does to the process's file descriptors.
///
/// The hang report follows the recorded calls to say what each descriptor refers to: replay
/// cannot ask the kernel, since most of the program's descriptors were emulated. A call that
/// creates a descriptor therefore says so in its row, with the kind of object, and the report
/// names every descriptor such a call made.
public enum FileDescriptorEffect: Equatable, Sendable {
    /// The result is a new descriptor for a new object.
    case opens(FileDescriptorKind)
    /// Two new descriptors for the two ends of one new object, stored as an `int[2]` at the
    /// pointer in argument `pairArgument`.
    case opensPair(FileDescriptorKind, pairArgument: Int)
    /// The descriptor in argument 0 is copied to another number. With `onlyIn`, only those
    /// variants of the call copy (`fcntl`'s `F_DUPFD`).
    case duplicates(to: DuplicateTarget, onlyIn: SyscallVariants? = nil)
    /// The descriptor in argument 0 is closed.
    case closes
    /// The descriptors from argument 0 through argument 1 are closed, unless argument 2's
    /// `CLOSE_RANGE_CLOEXEC` only marks them close-on-exec.
    case closesRange
}

/// Where a duplicated descriptor goes.
public enum DuplicateTarget: Equatable, Sendable {
    /// The lowest free number, which the call returns (`dup`).
    case result
    /// The number in argument `index` (`dup2`).
    case argument(Int)
}

/// What kind of object a new descriptor refers to, and where the call's arguments say more
/// about it.
public enum FileDescriptorKind: Equatable, Sendable {
    /// A file opened by the path in argument `pathArgument`.
    case file(pathArgument: Int)
    /// An anonymous file named by argument 0 (`memfd_create`).
    case memoryFile
    case pipe
    /// A socket of the family in argument 0 and the type in argument 1.
    case socket
    /// A connection accepted on the listening socket in argument 0.
    case acceptedSocket
    case eventfd
    case epoll
    /// A timer on the clock in argument 0.
    case timerfd
    /// A descriptor that reads signals. Given an existing one in argument 0, the call changes
    /// its mask and returns it.
    case signalfd
    case inotify
}
