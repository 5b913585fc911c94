import Glibc
import Guest
import Trace

/// Replays a trace: runs the recorded program again under the guest kernel and feeds it the
/// recorded events, checking at every event that it is exactly where the recording was.
///
/// Like the recorder, it must run on the thread that starts the guest.
public final class Replayer {
    private let trace: TraceDirectory
    private let header: TraceHeader
    private let cursor: EventCursor
    private let syscalls: SyscallReplayer

    public init(trace: TraceDirectory) throws {
        self.trace = trace
        let reader = try TraceReader(directory: trace)
        header = reader.header
        cursor = EventCursor(reader: reader)
        syscalls = SyscallReplayer(trace: trace, cursor: cursor)
    }

    /// Replays to the end and returns the recorded program's shell status.
    public func run() throws -> Int32 {
        var progress = Progress.running(try start().resume(.cont))
        while true {
            switch consume progress {
            case .ended(let exit):
                return try finish(exit)
            case .running(let running):
                let outcome = try running.wait()
                switch consume outcome {
                case .ended(let exit):
                    return try finish(exit)
                case .stopped(let stopped):
                    progress = try step(stopped)
                }
            }
        }
    }

    /// Starts the archived executable and rebuilds the recorded initial state: registers, and the
    /// stack with its arguments, environment, auxv and `AT_RANDOM` bytes.
    private func start() throws -> StoppedThread {
        guard case .exec(let exec)? = try cursor.next() else {
            throw ReplayError.unreplayable(event: 0, reason: "the trace does not start with the program's exec")
        }
        let executable = try trace.path(forFile: exec.executableHash)
        let cpuidFaulting = header.cpuidFaulting ?? true
        if !cpuidFaulting, let recorded = header.cpuSignature, recorded != CPUSignature.current() {
            throw ReplayError.unreplayable(
                event: 0,
                reason: "the trace was recorded without cpuid faulting on a different CPU (\(recorded)); it replays only on the same CPU model (this one is \(CPUSignature.current()))")
        }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        var thread = try GuestLauncher.launch(
            path: executable, arguments: [executable], environment: [],
            stdio: .init(descriptors: [devNull, devNull, devNull]), disableCoreDumps: true,
            cpu: header.guestCPU)
        thread = try ExecSetup.advanceToExecExit(thread)
        try InitialLayoutCheck.verify(thread, against: exec, trace: trace)
        if cpuidFaulting {
            let injected = try ExecSetup.enableCPUIDFaulting(thread)
            guard injected.result == 0 else {
                throw ReplayError.unreplayable(event: 0, reason: "the trace was recorded with cpuid faulting, which this CPU lacks")
            }
            thread = injected.takeThread()
        }
        try thread.memory.write(exec.stack.bytes, at: exec.stack.address)
        try thread.setRegisters(Registers(values: exec.registers.values))
        return thread
    }

    private func step(_ stopped: consuming StoppedThread) throws -> Progress {
        guard let event = try cursor.next() else {
            stopped.process.killAndReap()
            throw ReplayError.incomplete(eventsReplayed: cursor.index + 1, truncated: cursor.isTruncated, endReason: header.endReason)
        }
        let index = cursor.index
        switch (stopped.stop, event) {
        case (.seccomp, .syscall(let recorded)):
            return try syscalls.replay(stopped, recorded, index: index)
        case (.signal(let signal), .instruction(let recorded)):
            return .running(try replayInstruction(signal, stopped, recorded, index: index))
        case (.signal(let signal), .signal(let recorded)):
            return .running(try replaySignal(signal, stopped, recorded, index: index))
        default:
            let got = try EventDescription.stop(stopped)
            throw ReplayError.diverged(
                event: index, what: EventDescription.kind(of: event), expected: EventDescription.event(event), got: got)
        }
    }

    private func replayInstruction(
        _ signal: Int32, _ thread: consuming StoppedThread, _ recorded: InstructionTrapEvent, index: Int
    ) throws -> RunningThread {
        let registers = try thread.registers()
        let what = EventDescription.kind(of: .instruction(recorded))
        guard let instruction = TrappedInstruction.decode(
            signal: signal, siginfo: try thread.signalInfo(), at: registers.rip, memory: thread.memory),
            instruction.rawValue == recorded.kind.rawValue
        else {
            throw ReplayError.diverged(event: index, what: what, expected: what, got: try EventDescription.stop(thread))
        }
        try RegisterCheck.require(registers, equal: recorded.registers, event: index, what: what)
        let result = TrapResult(rax: recorded.rax, rbx: recorded.rbx, rcx: recorded.rcx, rdx: recorded.rdx)
        try thread.setRegisters(result.apply(to: registers, instruction: instruction))
        return try thread.resume(.cont)
    }

    private func replaySignal(
        _ signal: Int32, _ thread: consuming StoppedThread, _ recorded: SignalEvent, index: Int
    ) throws -> RunningThread {
        let what = EventDescription.kind(of: .signal(recorded))
        guard signal == recorded.signal else {
            throw ReplayError.diverged(event: index, what: what, expected: what, got: try EventDescription.stop(thread))
        }
        // A syscall emulated in replay was skipped, so orig_rax reads -1 where the recording saw
        // the syscall number; nothing else may differ.
        var registers = try thread.registers()
        if recorded.origin == .atSyscallExit { registers.origRax = recorded.registers.origRax }
        try RegisterCheck.require(registers, equal: recorded.registers, event: index, what: what)
        try thread.setSignalInfo(recorded.siginfo)
        return try thread.resume(.cont, signal: signal)
    }

    private func finish(_ exit: GuestExit) throws -> Int32 {
        guard let event = try cursor.next() else {
            throw ReplayError.incomplete(eventsReplayed: cursor.index + 1, truncated: cursor.isTruncated, endReason: header.endReason)
        }
        guard case .exit(let recorded) = event else {
            throw ReplayError.diverged(
                event: cursor.index, what: EventDescription.kind(of: event), expected: EventDescription.event(event),
                got: "the program ended (\(exit))")
        }
        let status: ExitEvent.Status
        switch exit {
        case .exited(let code): status = .exited(code)
        case .killed(let signal, _): status = .killed(signal: signal, coreDumped: false)
        }
        let expected: ExitEvent.Status
        switch recorded.status {
        case .killed(let signal, _): expected = .killed(signal: signal, coreDumped: false)
        case .exited: expected = recorded.status
        }
        guard status == expected else {
            throw ReplayError.diverged(
                event: cursor.index, what: "exit", expected: "\(recorded.status)", got: "\(status)")
        }
        return recorded.status.shellStatus
    }
}

/// The replayed guest after one event has been applied.
enum Progress: ~Copyable {
    case running(RunningThread)
    case ended(GuestExit)
}
