import CGuestShim
import Glibc

/// Runs a helper program (addr2line) to completion and collects its output.
///
/// It uses `posix_spawn` and waits for that one child by pid, never for any child: rrdbg is a
/// tracer, and a wait for any child could swallow a guest's ptrace stop. Foundation's `Process`
/// is avoided for the same reason and because this module does not depend on Foundation.
public struct ExternalCommand {
    public struct Output {
        /// The exit status, or 128 + the signal that killed it.
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    public var path: String
    public var arguments: [String]

    public init(path: String, arguments: [String]) {
        self.path = path
        self.arguments = arguments
    }

    public func run() throws -> Output {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        try retryingOnInterrupt("pipe2") { rrdbg_pipe_cloexec(&outputPipe) }
        defer { outputPipe.forEach { if $0 >= 0 { close($0) } } }
        try retryingOnInterrupt("pipe2") { rrdbg_pipe_cloexec(&errorPipe) }
        defer { errorPipe.forEach { if $0 >= 0 { close($0) } } }

        let pid = try spawn(stdout: outputPipe[1], stderr: errorPipe[1])
        close(outputPipe[1]); outputPipe[1] = -1
        close(errorPipe[1]); errorPipe[1] = -1
        let (output, error) = try drain(outputPipe[0], errorPipe[0])
        /// The exit status, or 128 + the signal that killed it.
        var status: Int32 = 0
        try retryingOnInterrupt("waitpid(\(pid))") { waitpid(pid, &status, 0) }
        let exitStatus = rrdbg_wifexited(status) != 0 ? rrdbg_wexitstatus(status) : 128 + rrdbg_wtermsig(status)
        return Output(
            status: exitStatus, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }

    private func spawn(stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        let cArguments = ([path] + arguments).map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, cArguments, environ)
        guard result == 0 else { throw Errno(result, operation: "posix_spawn(\(path))") }
        return pid
    }

    /// Reads both pipes to their ends, together, so a child that fills one cannot block.
    private func drain(_ output: Int32, _ error: Int32) throws -> ([UInt8], [UInt8]) {
        var collected: [Int32: [UInt8]] = [output: [], error: []]
        var open = [output, error]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            try retryingOnInterrupt("poll") { poll(&polled, nfds_t(polled.count), -1) }
            for entry in polled where entry.revents != 0 {
                let count = try chunk.withUnsafeMutableBytes { buffer in
                    try retryingOnInterrupt("read from \(path)") { read(entry.fd, buffer.baseAddress, buffer.count) }
                }
                if count == 0 {
                    open.removeAll { $0 == entry.fd }
                } else {
                    collected[entry.fd]!.append(contentsOf: chunk[0..<count])
                }
            }
        }
        return (collected[output]!, collected[error]!)
    }
}
