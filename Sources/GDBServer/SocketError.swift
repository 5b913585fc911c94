import Glibc

/// A failed socket call, named with the call and the C error, such as
/// `listen on 127.0.0.1:1234 failed: Address already in use`.
public struct SocketError: Error, Equatable, CustomStringConvertible, Sendable {
    public var code: Int32
    /// What was being attempted, for the message.
    public var operation: String

    init(_ code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The current thread's `errno` for a call that just failed.
    static func current(_ operation: String) -> SocketError {
        SocketError(errno, operation: operation)
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code)))"
    }

    /// Runs a call that returns -1 with `errno` on failure, retrying while it fails with `EINTR`.
    static func retryingOnInterrupt<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ call: () -> T) throws -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            if errno == EINTR { continue }
            throw current(operation())
        }
    }
}
