import Glibc

/// A failed system call's `errno`, as a typed error value.
///
/// Every layer of rrdbg reports a failed POSIX call through this one type, so that messages
/// name the operation, the file when there is one, and the C error:
/// `ptrace(PTRACE_GETREGS) failed: No such process`, or
/// `cannot create /tmp/t/events: No space left on device`.
public struct Errno: Error, Equatable, CustomStringConvertible, Sendable {
    public var code: Int32
    /// What was being attempted, for the message.
    public var operation: String
    /// The file the operation was on, if any.
    public var path: String?

    public init(_ code: Int32, operation: String, path: String? = nil) {
        self.code = code
        self.operation = operation
        self.path = path
    }

    /// The current thread's `errno` for a call that just failed.
    public static func current(_ operation: String, path: String? = nil) -> Errno {
        Errno(errno, operation: operation, path: path)
    }

    /// The C library's message for the code (`strerror`).
    public var message: String { String(cString: strerror(code)) }

    /// ENOSPC or EDQUOT: the disk or the user's quota is full.
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String {
        if let path { return "cannot \(operation) \(path): \(message)" }
        return "\(operation) failed: \(message)"
    }
}

/// Runs a call that returns -1 with `errno` on failure, retrying while it fails with `EINTR`.
/// This is the one place where interrupted system calls are retried.
@discardableResult
public func retryingOnInterrupt<T: BinaryInteger>(
    _ operation: @autoclosure () -> String, path: String? = nil, _ call: () -> T
) throws -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw Errno.current(operation(), path: path)
    }
}
