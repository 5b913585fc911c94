/// Why a target did not do what gdb asked, in the terms the session answers gdb with.
public enum GDBTargetError: Error, Equatable, Sendable {
    /// The registers or thread asked for are not there (`E01`).
    case unavailable
    /// The memory cannot be read or patched (`E0e`, EFAULT).
    case badAddress
    /// The target cannot do this kind of request, such as a watchpoint of an odd length
    /// (`E16`, EINVAL); gdb then falls back to other means.
    case unsupported
    /// Everything that would serve the request is in use, such as all debug registers (`E1c`,
    /// ENOSPC).
    case exhausted
    /// The target will not make this change, for the reason given, which the session shows the
    /// user.
    case refused(String)
}
