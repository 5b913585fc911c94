import Foundation
import Guest
import Syscalls
import Trace
import System

/// Records one program run into a trace.
///
/// The loop runs on the calling thread, which must be the thread that started the guest: ptrace
/// only accepts requests from the tracer thread. It is also the guest's scheduler: one guest
/// thread runs user code at a time, and every point where the CPU passes to another thread is
/// in the trace, so replay can make the same threads run in the same order.
public final class Recorder {
    let options: RecordOptions
    let trace: TraceDirectory
    let writer: TraceWriter
    var header: TraceHeader
    let warnings = RecordingWarnings()
    let syscalls: SyscallRecorder
    /// rrdbg's version: written into every trace header and printed by `rrdbg --version`.
    public static let version = "0.2.0"

    let threads = ThreadTable()
    /// The thread that has the CPU, if any.
    var current: RecordedThread?
    /// When `current` last stopped or was given the CPU (monotonic seconds).
    var currentSince = 0.0
    /// The guest's thread group, and its main thread's id.
    var process: GuestProcess!
    var leader: pid_t = 0
    private var startedAt = 0.0

    /// How long a thread may run user code without any stop while others wait.
    static let timeSlice = 0.05
    /// How long a syscall not known to block may take before its thread is treated as blocked.
    static let blockingThreshold = 0.002

    private init(options: RecordOptions, trace: TraceDirectory, header: TraceHeader) throws {
        self.options = options
        self.trace = trace
        self.header = header
        writer = try TraceWriter(directory: trace, header: header)
        syscalls = SyscallRecorder(files: writer.files, warnings: warnings)
    }

    /// Records `options.program` to completion and returns where the trace is.
    public static func record(_ options: RecordOptions) throws -> RecordingSummary {
        let searchPath = options.environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }
        let path = try GuestLauncher.resolve(options.program, searchPath: searchPath)
        let trace: TraceDirectory
        if let output = options.outputDirectory {
            trace = try TraceDirectory.create(at: output)
        } else {
            trace = try TraceRoot.standard(environment: ProcessInfo.processInfo.environment).createTrace(forProgram: path)
        }
        let header = TraceHeader(
            rrdbgVersion: Recorder.version,
            command: [options.program] + options.arguments,
            environment: options.environment,
            cwd: FileManager.default.currentDirectoryPath,
            startTime: Date().timeIntervalSince1970,
            executable: path
        )
        let recorder = try Recorder(options: options, trace: trace, header: header)
        return try recorder.run(path: path)
    }

    private func run(path: String) throws -> RecordingSummary {
        header.guestCPU = GuestLauncher.defaultGuestCPU()
        header.ignoredSignals = GuestLauncher.ignoredSignals()
        var thread = try GuestLauncher.launch(
            path: path, arguments: [options.program] + options.arguments, environment: options.environment,
            cpu: header.guestCPU, ignoredSignals: header.ignoredSignals)
        process = thread.process
        leader = thread.tid
        startedAt = Self.now()
        RecorderSignals.handleWhileRecording()
        // A recorder killed while the guest blocks loses at most this much of the trace.
        thread.process.whileRunning(every: 0.25) { [writer] in try? writer.flushIfDue() }
        thread = try ExecSetup.advanceToExecExit(thread)
        try ExecSetup.hideVDSO(thread)
        let cpuidFaulting = try ExecSetup.enableCPUIDFaulting(thread)
        if cpuidFaulting.result != 0 {
            header.cpuidFaulting = false
            header.cpuSignature = CPUSignature.current()
        }
        thread = cpuidFaulting.takeThread()
        // Replay needs these settings even if this recording never finishes.
        try trace.writeHeader(header)
        try writer.append(.exec(try captureExec(thread)))

        let main = threads.add(leader, pid: leader, state: .readyToResume(signal: 0))
        main.parked = consume thread
        threads.enqueue(main)
        return try schedule()
    }

    /// The scheduler loop: gives the CPU to one thread at a time and handles every stop.
    private func schedule() throws -> RecordingSummary {
        while true {
            if let reason = endRequest() { return try endRecording(reason) }
            if current == nil {
                // A SIGCONT for a stopped process takes effect when the CPU is handed on.
                try continueGroupStoppedThreads()
                current = threads.next()
                currentSince = Self.now()
            }
            guard let thread = current else {
                // Every thread is blocked in the kernel.
                if let summary = try collect(timeout: Self.timeSlice) { return summary }
                continue
            }
            if let stopped = thread.parked.take() {
                if let summary = try handle(stopped, of: thread) { return summary }
                continue
            }
            // Alone, a thread is never preempted; the loop only has to notice --timeout or Ctrl-C.
            let ranFor = Self.now() - currentSince
            let wait = threads.count > 1 ? max(0.001, Self.timeSlice - ranFor) : Self.timeSlice * 5
            if let summary = try collect(timeout: wait) { return summary }
            if thread === current, thread.parked == nil, !thread.preemptionRequested,
               Self.now() - currentSince >= Self.timeSlice, threads.othersWaiting(besides: thread.tid)
            {
                try GuestProcess.signal(thread.tid, of: thread.pid, SIGSTOP)
                thread.preemptionRequested = true
            }
        }
    }

    /// Waits for any thread's next stop or end; returns the summary once the guest has ended.
    func collect(timeout: Double) throws -> RecordingSummary? {
        guard let outcome = try process.waitForAnyThread(timeout: timeout) else { return nil }
        switch consume outcome {
        case .stopped(let stopped):
            park(stopped)
            return nil
        case .ended(let tid, let exit):
            return try threadEnded(tid, exit)
        }
    }

    /// Files a stop that arrived for some thread until the scheduler handles it.
    func park(_ stopped: consuming StoppedThread) {
        let thread = threads[stopped.tid] ?? threads.add(stopped.tid, pid: stopped.process.pid, state: .starting)
        switch thread.state {
        case .inKernel(let call):
            thread.state = .syscallReturned(call)
        case .starting where stopped.stop == .signal(SIGSTOP):
            // A new thread's first stop: nothing has run yet.
            thread.state = .readyToResume(signal: 0)
        default:
            thread.state = .stopped
        }
        if thread === current { currentSince = Self.now() }
        thread.parked = consume stopped
        if thread !== current { threads.enqueue(thread) }
    }

    /// Handles the stop of the current thread.
    private func handle(_ stopped: consuming StoppedThread, of thread: RecordedThread) throws -> RecordingSummary? {
        switch thread.state {
        case .readyToResume(let signal):
            if let arguments = thread.creatorArguments {
                var registers = try stopped.registers()
                registers.syscallArguments = arguments
                try stopped.setRegisters(registers)
                thread.creatorArguments = nil
            }
            try resume(stopped, of: thread, signal: signal)
            return nil
        case .syscallReturned(let call):
            return try completeBlockedSyscall(call, stopped, of: thread)
        case .stopped, .running, .starting, .inKernel, .groupStopped:
            break
        }
        switch stopped.stop {
        case .seccomp:
            return try recordSyscall(stopped, of: thread)
        case .signal(let signal):
            try recordSignal(signal, stopped, of: thread)
            return nil
        case .syscallEntry, .syscallExit, .event:
            try resume(stopped, of: thread, signal: 0)
            return nil
        case .exec:
            // Calls that start new images are refused at their seccomp stop.
            throw RecordError.guestLost("unexpected exec stop of thread \(thread.tid)")
        }
    }

    /// Lets the current thread run on.
    func resume(_ stopped: consuming StoppedThread, of thread: RecordedThread, signal: Int32) throws {
        thread.state = .running
        _ = try stopped.resume(.cont, signal: signal)
    }

    /// Takes the CPU from `thread`, which stays parked at its stop until its turn comes again.
    func switchAway(from thread: RecordedThread, parking stopped: consuming StoppedThread, state: RecordedThread.State) {
        thread.state = state
        thread.parked = consume stopped
        threads.enqueue(thread)
        current = nil
    }

    /// A thread ended. When it was a process's main thread, the process has ended (the kernel
    /// reports a traced thread group's leader only after every other thread), and the
    /// recording ends with the last process.
    func threadEnded(_ tid: pid_t, _ exit: GuestExit) throws -> RecordingSummary? {
        if endedByExec.remove(tid) != nil { return nil }
        let pid = threads[tid]?.pid ?? tid
        if let thread = threads[tid], case .inKernel(let call) = thread.state,
           SyscallTable.descriptor(for: call.entry.syscallNumber)?.replay == .exit
        {
            // exit and exit_group do not return; their event completes the announced entry.
            try writer.append(.syscall(SyscallEvent(
                tid: tid, registers: RegisterFile(call.entry.values), result: 0, strings: call.strings)))
        }
        threads.remove(tid)
        if current?.tid == tid { current = nil }
        if tid == pid {
            let status = ExitEvent.Status(exit)
            try writer.append(.exit(ExitEvent(tid: pid, status: status)))
            if pid == leader { mainStatus = status }
        }
        guard threads.count == 0 else { return nil }
        return try finish()
    }

    /// How the main process ended, once it has.
    private var mainStatus: ExitEvent.Status?
    /// Threads an exec in their process ended, whose ends the kernel still reports.
    var endedByExec: Set<pid_t> = []

    func captureExec(_ thread: borrowing StoppedThread) throws -> ExecEvent {
        let state = try ExecSetup.captureInitialState(thread)
        let executableHash = try writer.files.storeFile(at: "/proc/\(thread.tid)/exe", executable: true)
        var interpreterHash: String?
        if let interpreter = state.interpreterPath {
            interpreterHash = try writer.files.storeFile(at: interpreter, executable: false)
        }
        let mappings = state.mappings.map { mapping in
            var hash: String?
            if mapping.path == state.executablePath { hash = executableHash }
            if mapping.path == state.interpreterPath { hash = interpreterHash }
            return MappingRecord(
                start: mapping.start, end: mapping.end, protection: mapping.protection, shared: mapping.shared,
                fileOffset: mapping.offset, path: mapping.path, fileHash: hash)
        }
        return ExecEvent(
            tid: thread.tid, registers: RegisterFile(state.registers.values),
            stack: MemoryWrite(address: state.registers.rsp, bytes: state.stack),
            mappings: mappings, executableHash: executableHash, interpreterHash: interpreterHash)
    }

    private func finish() throws -> RecordingSummary {
        let status = mainStatus ?? .killed(signal: SIGKILL, coreDumped: false)
        try writer.finish(header: completedHeader(status: status))
        return RecordingSummary(
            traceDirectory: trace.path, shellStatus: status.shellStatus, eventCount: writer.eventCount,
            warnings: warnings.messages)
    }

    /// The final header; `TraceWriter.finish` marks it complete, since the recorder finished
    /// writing even when the program did not (`endReason` then says why).
    func completedHeader(status: ExitEvent.Status?) -> TraceHeader {
        var finished = header
        finished.exitStatus = status
        finished.endTime = Date().timeIntervalSince1970
        if status != nil { finished.endReason = "exited" }
        finished.warnings = warnings.messages
        finished.possiblyUnreplayable = warnings.possiblyUnreplayable
        return finished
    }

    /// Why the recording should end now, if it should: `--timeout` or a stop request (Ctrl-C).
    private func endRequest() -> RecordingEnd? {
        if TerminationRequests.count > 0 { return .interrupted }
        if let timeout = options.timeout, Self.now() - startedAt >= timeout { return .timeout(timeout) }
        return nil
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
