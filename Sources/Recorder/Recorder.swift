import Foundation
import Guest
import Trace

/// Records one program run into a trace.
///
/// The loop runs on the calling thread, which must be the thread that started the guest: ptrace
/// only accepts requests from the tracer thread. Every stop of the guest becomes at most one
/// trace event: syscalls (with the memory the kernel wrote), trapped instructions, signals, and
/// the final exit.
public final class Recorder {
    private let options: RecordOptions
    private let trace: TraceDirectory
    private let writer: TraceWriter
    private var header: TraceHeader
    private let warnings = RecordingWarnings()
    private let syscalls: SyscallRecorder
    /// Written into every trace header.
    public static let version = "0.1.0"
    /// Registers at the last syscall exit; a signal stop with the same registers arrived on that
    /// syscall's return, before any user instruction ran.
    private var registersAtLastSyscallExit: Registers?

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
        var thread = try GuestLauncher.launch(
            path: path, arguments: [options.program] + options.arguments, environment: options.environment,
            cpu: header.guestCPU)
        let pid = thread.tid
        RecorderSignals.ignoreWhileRecording()
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

        var progress = Progress.running(try thread.resume(.cont))
        while true {
            switch consume progress {
            case .ended(let exit):
                return try finish(exit: exit, tid: pid)
            case .running(let running):
                let outcome = try running.wait()
                switch consume outcome {
                case .ended(let exit):
                    return try finish(exit: exit, tid: pid)
                case .stopped(let stopped):
                    progress = try handle(stopped)
                }
            }
        }
    }

    /// The guest after one stop has been handled.
    private enum Progress: ~Copyable {
        case running(RunningThread)
        case ended(GuestExit)
    }

    private func handle(_ stopped: consuming StoppedThread) throws -> Progress {
        switch stopped.stop {
        case .seccomp:
            return try recordSyscall(stopped)
        case .signal(let signal):
            return .running(try recordSignal(signal, stopped))
        case .syscallEntry, .syscallExit:
            return .running(try stopped.resume(.cont))
        case .exec, .event:
            // Calls that start images or threads are refused at their seccomp stop.
            throw RecordError.guestLost("unexpected \(stopped.stop)")
        }
    }

    private func captureExec(_ thread: borrowing StoppedThread) throws -> ExecEvent {
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

    private func recordSyscall(_ thread: consuming StoppedThread) throws -> Progress {
        let entry = try thread.registers()
        if case .unsupported(let reason) = SyscallTable.descriptor(for: entry.syscallNumber)?.replay {
            thread.process.killAndReap()
            header.endReason = "refused \(SyscallTable.name(of: entry.syscallNumber))"
            try writer.finish(header: completedHeader(status: nil))
            throw RecordError.unsupportedSyscall(
                name: SyscallTable.name(of: entry.syscallNumber), reason: reason, traceDirectory: trace.path)
        }
        let strings = syscalls.captureStrings(entry, memory: thread.memory)
        let tid = thread.tid
        if let error = StandardStreamPolicy.refusal(for: entry) {
            return .running(try answerAtEntry(thread, entry, result: Int64(-error), writes: [], strings: strings))
        }
        if let answer = TracerSideSyscalls.answer(entry, tid: tid, memory: thread.memory) {
            return .running(try answerAtEntry(thread, entry, result: answer.result, writes: answer.writes, strings: strings))
        }
        let outcome = try thread.resume(.syscall).wait()
        switch consume outcome {
        case .ended(let exit):
            // exit and exit_group do not return; the exit event follows this one.
            try writer.append(.syscall(SyscallEvent(
                tid: tid, registers: RegisterFile(entry.values), result: 0, strings: strings)))
            return .ended(exit)
        case .stopped(let exitStop):
            guard exitStop.stop == .syscallExit else {
                throw RecordError.guestLost("expected the exit of \(SyscallTable.name(of: entry.syscallNumber)), got \(exitStop.stop)")
            }
            let exitRegisters = try exitStop.registers()
            let event = try syscalls.event(
                tid: tid, entry: entry, result: exitRegisters.syscallResult, strings: strings,
                memory: exitStop.memory)
            try writer.append(.syscall(event))
            registersAtLastSyscallExit = exitRegisters
            return .running(try exitStop.resume(.cont))
        }
    }

    /// Completes a syscall at its seccomp stop without the kernel: the call is skipped and
    /// returns `result`; `writes` are already in guest memory.
    private func answerAtEntry(
        _ thread: consuming StoppedThread, _ entry: Registers, result: Int64, writes: [MemoryWrite],
        strings: [Int: [UInt8]]
    ) throws -> RunningThread {
        var answered = entry
        answered.origRax = UInt64.max
        answered.rax = UInt64(bitPattern: result)
        try thread.setRegisters(answered)
        try writer.append(.syscall(SyscallEvent(
            tid: thread.tid, registers: RegisterFile(entry.values), result: result, memoryWrites: writes,
            strings: strings)))
        registersAtLastSyscallExit = answered
        return try thread.resume(.cont)
    }

    private func recordSignal(_ signal: Int32, _ thread: consuming StoppedThread) throws -> RunningThread {
        let registers = try thread.registers()
        let siginfo = try thread.signalInfo()
        if let instruction = TrappedInstruction.decode(signal: signal, siginfo: siginfo, at: registers.rip, memory: thread.memory) {
            let result = TrapResult.execute(instruction, registers: registers)
            try thread.setRegisters(result.apply(to: registers, instruction: instruction))
            try writer.append(.instruction(InstructionTrapEvent(
                tid: thread.tid, kind: InstructionTrapEvent.Kind(rawValue: instruction.rawValue)!, registers: RegisterFile(registers.values),
                rax: result.rax, rbx: result.rbx, rcx: result.rcx, rdx: result.rdx)))
            registersAtLastSyscallExit = nil
            return try thread.resume(.cont)
        }
        let origin = SignalEvent.Origin.classify(
            signal: signal, siginfo: siginfo, registers: registers, atLastSyscallExit: registersAtLastSyscallExit)
        if origin == .asynchronous {
            warnings.add(
                "signal \(signal) arrived while the program ran user code; replaying such signals exactly is not supported yet",
                affectsReplay: true)
        }
        try writer.append(.signal(SignalEvent(
            tid: thread.tid, signal: signal, origin: origin, siginfo: siginfo, registers: RegisterFile(registers.values))))
        registersAtLastSyscallExit = nil
        return try thread.resume(.cont, signal: signal)
    }

    private func finish(exit: GuestExit, tid: Int32) throws -> RecordingSummary {
        let status: ExitEvent.Status
        switch exit {
        case .exited(let code): status = .exited(code)
        case .killed(let signal, let core): status = .killed(signal: signal, coreDumped: core)
        }
        try writer.append(.exit(ExitEvent(tid: tid, status: status)))
        try writer.finish(header: completedHeader(status: status))
        return RecordingSummary(
            traceDirectory: trace.path, shellStatus: status.shellStatus, eventCount: writer.eventCount,
            warnings: warnings.messages)
    }

    /// The final header; `TraceWriter.finish` marks it complete, since the recorder finished
    /// writing even when the program did not (`endReason` then says why).
    private func completedHeader(status: ExitEvent.Status?) -> TraceHeader {
        var finished = header
        finished.exitStatus = status
        finished.endTime = Date().timeIntervalSince1970
        if status != nil { finished.endReason = "exited" }
        finished.warnings = warnings.messages
        finished.possiblyUnreplayable = warnings.possiblyUnreplayable
        return finished
    }
}
