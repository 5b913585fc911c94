import Glibc

/// A failed system call's `errno`, as a typed error value.
///
/// Guest-kernel code reports every failure through this type so that messages name both the
/// operation and the C error (`ptrace(PTRACE_GETREGS) failed: ESRCH (No such process)`).
public struct Errno: Error, Equatable, CustomStringConvertible, Sendable {
    public var code: Int32
    /// What was being attempted, for the message.
    public var operation: String

    public init(_ code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The current thread's `errno` for a call that just failed.
    public static func current(_ operation: String) -> Errno {
        Errno(errno, operation: operation)
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code)))"
    }
}

/// Runs a call that returns -1 with `errno` on failure, retrying while it fails with `EINTR`.
/// This is the one place where interrupted system calls are retried.
@discardableResult
package func retryingOnInterrupt<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ call: () -> T) throws -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw Errno.current(operation())
    }
}
