import CGuestShim
import Glibc
import System

/// Why a guest could not be started.
public enum LaunchError: Error, CustomStringConvertible {
    case notFound(String)
    case notExecutable(String)
    /// exec failed in the child; the `Errno` names the program.
    case execFailed(Errno)
    case unexpectedStop(String)

    public var description: String {
        switch self {
        case .notFound(let program): return "\(program): command not found"
        case .notExecutable(let path): return "\(path): permission denied (not an executable file)"
        case .execFailed(let failure): return failure.description
        case .unexpectedStop(let detail): return "the guest stopped unexpectedly while starting: \(detail)"
        }
    }
}

/// Starts programs under the guest kernel: ptrace, the seccomp filter that traces every
/// syscall, no address-space randomisation, and faulting rdtsc.
public enum GuestLauncher {
    public struct Stdio: Sendable {
        /// Descriptors for the guest's 0, 1 and 2; -1 inherits rrdbg's, `RRDBG_STDIO_CLOSED`
        /// leaves it closed.
        public var descriptors: [Int32]

        public init(descriptors: [Int32]) { self.descriptors = descriptors }

        /// rrdbg's own, except that those closed when rrdbg started (which it filled with
        /// `/dev/null` for itself) are closed in the guest too.
        public static var inherit: Stdio {
            Stdio(descriptors: (0...2).map { ProcessStartup.closedStandardDescriptors.contains($0) ? RRDBG_STDIO_CLOSED : -1 })
        }
    }

    /// The CPU a new guest is pinned to: the lowest one rrdbg itself may use.
    public static func defaultGuestCPU() -> Int? {
        let cpu = rrdbg_first_allowed_cpu()
        return cpu >= 0 ? Int(cpu) : nil
    }

    /// Finds `program` the way a shell would: as a path if it has a slash, else in `$PATH`.
    public static func resolve(_ program: String, searchPath: String?) throws -> String {
        if program.contains("/") {
            guard access(program, F_OK) == 0 else { throw LaunchError.notFound(program) }
            guard isExecutableFile(program) else { throw LaunchError.notExecutable(program) }
            return program
        }
        for directory in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if isExecutableFile(candidate) { return candidate }
        }
        throw LaunchError.notFound(program)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// The signals rrdbg inherited as ignored (bit N-1 for signal N), which a program it starts
    /// inherits. Those rrdbg ignores for itself (SIGXFSZ) are not among them.
    public static func ignoredSignals() -> UInt64 { ProcessStartup.inheritedIgnoredSignals }

    /// Starts `path` and runs it up to its exec stop: the new image is loaded and no instruction
    /// of it has run. `ignoredSignals` (bit N-1 for signal N) replaces the inherited signal
    /// dispositions: those ignored, all others default. `ownProcessGroup` keeps the guest out of
    /// the terminal's foreground group (a replay takes its signals from the trace only).
    public static func launch(
        path: String, arguments: [String], environment: [String], stdio: Stdio = .inherit,
        disableCoreDumps: Bool = false, cpu: Int? = nil, ignoredSignals: UInt64? = nil, ownProcessGroup: Bool = false
    ) throws -> StoppedThread {
        var errorPipe: [Int32] = [-1, -1]
        try retryingOnInterrupt("pipe2") { rrdbg_pipe_cloexec(&errorPipe) }
        defer { close(errorPipe[0]) }

        let cPath = strdup(path)!
        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            free(cPath)
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        let pid: pid_t = cArguments.withUnsafeBufferPointer { argv in
            cEnvironment.withUnsafeBufferPointer { envp in
                var request = rrdbg_spawn_request()
                request.path = UnsafePointer(cPath)
                request.argv = argv.baseAddress
                request.envp = envp.baseAddress
                request.stdio = (stdio.descriptors[0], stdio.descriptors[1], stdio.descriptors[2])
                request.disable_core_dumps = disableCoreDumps ? 1 : 0
                request.cpu = Int32(cpu ?? -1)
                request.set_signal_dispositions = ignoredSignals == nil ? 0 : 1
                request.ignored_signals = ignoredSignals ?? 0
                request.own_process_group = ownProcessGroup ? 1 : 0
                return rrdbg_spawn_traced(&request, errorPipe[1])
            }
        }
        close(errorPipe[1])
        if pid < 0 { throw Errno.current("fork") }
        if let cpu {
            // Every guest stop switches to the tracer and back. On the same CPU that switch
            // is local; across CPUs each one costs an inter-processor wakeup, which in a VM
            // more than triples the cost of a recorded syscall.
            _ = rrdbg_pin_current_thread(Int32(cpu))
        }

        let process = GuestProcess(pid: pid)
        var outcome = try RunningThread(process: process, tid: pid).wait()
        while true {
            switch consume outcome {
            case .ended:
                var code: Int32 = 0
                let count = read(errorPipe[0], &code, MemoryLayout<Int32>.size)
                throw LaunchError.execFailed(Errno(count == 4 ? code : ENOEXEC, operation: "execute", path: path))
            case .stopped(let thread):
                switch thread.stop {
                case .exec:
                    return thread
                case .signal(SIGSTOP):
                    let options: PtraceOptions = [
                        .traceSysGood, .traceExec, .traceSeccomp, .exitKill, .traceClone, .traceFork, .traceVFork,
                    ]
                    try Ptrace.call(.setOptions, pid, 0, options.rawValue)
                    outcome = try thread.resume(.cont).wait()
                case .seccomp:
                    outcome = try thread.resume(.cont).wait()
                case let other:
                    process.killAndReap()
                    throw LaunchError.unexpectedStop("\(other)")
                }
            }
        }
    }
}
