import Glibc
import System

/// gdb could not be started.
struct GDBMissing: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot start gdb: \(reason) (install it with: apt-get install gdb)" }
}

/// Starts gdb for `rrdbg debug`, sharing rrdbg's terminal.
enum GDBLauncher {
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let status = posix_spawnp(&pid, "gdb", nil, nil, cArguments, environ)
        guard status == 0 else { throw GDBMissing(reason: String(cString: strerror(status))) }
        return pid
    }

    static func wait(_ pid: pid_t) {
        _ = try? ChildProcesses.wait(for: pid)
    }
}
