import Glibc

/// Waiting for child processes (and traced threads), with `EINTR` retried.
public enum ChildProcesses {
    /// `waitpid(pid, &status, options)`: the child that changed state and its raw status, or
    /// pid 0 with `WNOHANG` when none has.
    @discardableResult
    public static func wait(for pid: pid_t, options: Int32 = 0) throws -> (pid: pid_t, status: Int32) {
        var status: Int32 = 0
        let reaped = try retryingOnInterrupt("waitpid(\(pid))") { waitpid(pid, &status, options) }
        return (reaped, status)
    }
}
