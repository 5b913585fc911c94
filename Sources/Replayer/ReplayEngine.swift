import Glibc
import Guest
import Syscalls
import Trace

/// The replay machinery shared by plain replay and the gdb stub: it starts the recorded program
/// in its recorded initial state and applies recorded events one stop at a time.
///
/// After applying an event it either resumes the guest (plain replay, `continue` in gdb) or
/// leaves it paused just past the event (a single step in gdb), so a debugger can stop between
/// any two instructions while events are still applied exactly once, in order. What a debugger
/// adds to that (breakpoints kept in place, threads readied before they run, pauses) goes
/// through its `observer`; plain replay has none.
final class ReplayEngine {
    let trace: TraceDirectory
    let header: TraceHeader
    let cursor: EventCursor
    let syscalls: SyscallReplayer
    /// Every live thread; all but the one running (or held by the caller) are parked.
    let threads = ReplayThreads()
    /// The debugger watching the replay, if any; see `ReplayObserver`.
    weak var observer: (any ReplayObserver)? {
        didSet { syscalls.observer = observer }
    }
    /// The process a debugger looks at, when it is not the first one: the others run without
    /// single steps, debug registers or executed async points, since nobody watches them.
    var focusPID: Int32?
    /// How far the replay is, for recognising an instant when it runs again: events applied,
    /// counting only the watched process's with a `focusPID`, since the others are applied
    /// whenever the scheduler gets to them, which differs between stepping and continuing.
    var progress: Int {
        guard let focusPID else { return cursor.index }
        return cursor.consumed.reduce(0) { threads.processOf[$1.key] == focusPID ? $0 + $1.value : $0 }
    }

    /// How each process that has ended in replay ended, until its `exit` event is checked.
    var endedProcesses: [Int32: GuestExit] = [:]

    init(trace: TraceDirectory) throws {
        self.trace = trace
        let reader = try TraceReader(directory: trace)
        header = reader.header
        cursor = EventCursor(reader: reader)
        syscalls = SyscallReplayer(trace: trace, cursor: cursor, formatVersion: header.formatVersion)
    }

    /// Whether the program's writes to fds 1 and 2 are printed. Reverse execution turns this
    /// off while it re-executes what the user has already seen.
    var echoesOutput: Bool {
        get { syscalls.echoesOutput }
        set { syscalls.echoesOutput = newValue }
    }

    /// The pid the program had when it was recorded.
    private(set) var recordedPID: Int32 = 0

    /// Whether the observer wants the replay paused where it is now.
    var pausesReplayHere: Bool {
        observer?.pausesReplay(atProgress: progress) == true
    }

    /// True when the next event ends the program: the main process's last exit call, or its
    /// death, with no other process left. With a `focusPID`, the end of that process.
    var nextEventEndsProgram: Bool {
        switch try? cursor.peek() {
        case .exit(let end)?: return focusPID == nil || end.tid == focusPID
        case .syscall(let call)?:
            guard SyscallTable.descriptor(for: call.number)?.replay == .exit,
                  let pid = threads[recorded: call.tid]?.pid
            else { return false }
            let members = threads.all.filter { $0.pid == pid }.count
            if let focusPID {
                return pid == focusPID && (Syscall(rawValue: call.number) == .exit_group || members == 1)
            }
            return threads.all.allSatisfy({ $0.pid == recordedPID }) && (Syscall(rawValue: call.number) == .exit_group || members == 1)
        default: return false
        }
    }

    /// Moves the cursor to just after event `index` without applying anything, for a guest
    /// restored from a checkpoint taken there. The process of every thread met on the way is
    /// kept, so that `progress` counts their events as a replay that ran them does.
    func skipEvents(through index: Int) throws {
        while cursor.index < index {
            guard let event = try cursor.next() else {
                throw ReplayError.incomplete(eventsReplayed: cursor.index + 1, truncated: cursor.isTruncated, endReason: header.endReason)
            }
            switch event {
            case .exec(let exec):
                if recordedPID == 0 { recordedPID = exec.tid }
                threads.noteProcess(of: exec.tid, pid: exec.tid)
            case .syscall(let call) where SyscallTable.descriptor(for: call.number)?.replay == .createTask
                && call.result > 0 && !SyscallResult.isError(call.result):
                let child = Int32(truncatingIfNeeded: call.result)
                let creator = threads.processOf[call.tid] ?? call.tid
                threads.noteProcess(of: child, pid: TaskCreation.createsProcess(Registers(values: call.registers.values)) ? child : creator)
            default:
                break
            }
        }
    }

    /// Makes `thread` the replay's only thread, for a guest restored from a checkpoint taken
    /// while the program had one thread.
    func adoptSingleThread(_ thread: borrowing StoppedThread) {
        threads.setLeader(recordedPID)
        threads.add(recordedTid: recordedPID, realTid: thread.tid, pid: recordedPID, process: thread.process)
    }

    /// Starts the archived executable and rebuilds the recorded initial state: registers, and the
    /// stack with its arguments, environment, auxv and `AT_RANDOM` bytes.
    func start() throws -> StoppedThread {
        guard case .exec(let exec)? = try cursor.next() else {
            throw ReplayError.unreplayable(event: 0, reason: "the trace does not start with the program's exec")
        }
        recordedPID = exec.tid
        threads.setLeader(exec.tid)
        let executable = try trace.checkedPath(forFile: exec.executableHash)
        if header.cpuidFaulting == false, let recorded = header.cpuSignature, recorded != CPUSignature.current() {
            throw ReplayError.unreplayable(
                event: 0,
                reason: "the trace was recorded without cpuid faulting on a different CPU (\(recorded)); it replays only on the same CPU model (this one is \(CPUSignature.current()))")
        }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        var thread = try GuestLauncher.launch(
            path: executable, arguments: [executable], environment: [],
            stdio: .init(descriptors: [devNull, devNull, devNull]), disableCoreDumps: true,
            cpu: header.guestCPU, ignoredSignals: header.ignoredSignals ?? 0, ownProcessGroup: true)
        thread = try becomeRecordedImage(thread, exec, event: 0)
        threads.add(recordedTid: exec.tid, realTid: thread.tid, pid: exec.tid, process: thread.process)
        return thread
    }

    /// From the exec stop of the trace's copy of a program, puts the new image in its recorded
    /// initial state: the same layout, cpuid faulting as recorded, and the recorded stack
    /// (arguments, environment, auxv, `AT_RANDOM`) and registers.
    func becomeRecordedImage(_ execStop: consuming StoppedThread, _ exec: ExecEvent, event: Int) throws -> StoppedThread {
        var thread = try ExecSetup.advanceToExecExit(execStop)
        try InitialLayoutCheck.verify(thread, against: exec, trace: trace)
        if header.cpuidFaulting ?? true {
            let injected = try ExecSetup.enableCPUIDFaulting(thread)
            guard injected.result == 0 else {
                throw ReplayError.unreplayable(event: event, reason: "the trace was recorded with cpuid faulting, which this CPU lacks")
            }
            thread = injected.takeThread()
        }
        try thread.memory.write(exec.stack.bytes, at: exec.stack.address)
        try thread.setRegisters(Registers(values: exec.registers.values))
        return thread
    }

    /// True for a SIGCHLD the replaying kernel sent on its own when a replayed child process
    /// ended: the recorded SIGCHLDs are signal events of their own, delivered from the trace.
    func isStraySignal(_ stopped: borrowing StoppedThread, next event: TraceEvent?) -> Bool {
        guard stopped.stop == .signal(SIGCHLD) else { return false }
        if case .signal(let recorded)? = event, recorded.signal == SIGCHLD,
           threads[recorded: recorded.tid]?.realTid == stopped.tid {
            return false
        }
        return true
    }

    /// Applies the next recorded event to the guest's current stop, then resumes it or leaves it
    /// paused right after the event, as `then` says. Resuming may hand the CPU to another
    /// thread: the one whose event comes next, as in the recording.
    func apply(_ stopped: consuming StoppedThread, then: Continuation) throws -> Applied {
        guard let event = try cursor.next() else {
            stopped.process.killAndReap()
            throw ReplayError.incomplete(eventsReplayed: cursor.index + 1, truncated: cursor.isTruncated, endReason: header.endReason)
        }
        let index = cursor.index
        if case .signal = stopped.stop, (try? stopped.signalInfo()) == nil {
            // A group-stop: the stop signal just delivered took effect, as it did when recorded.
            // The thread waits stopped until its next event (the SIGCONT) comes up.
            cursor.unread(event)
            park(stopped, signal: 0)
            switch then {
            case .resume(let mode): return try dispatch(mode)
            case .pause: return try dispatch(.cont)
            }
        }
        if isStraySignal(stopped, next: event) {
            // Not this event's stop: put the event back and let the thread go on.
            cursor.unread(event)
            switch then {
            case .resume(let mode): return .running(try stopped.resume(mode))
            case .pause: return .running(try stopped.resume(.cont))
            }
        }
        guard threads[recorded: event.tid]?.realTid == stopped.tid else {
            throw ReplayError.diverged(
                event: index, what: EventDescription.kind(of: event),
                expected: "thread \(event.tid): \(EventDescription.event(event))",
                got: "thread \(threads.recordedTid(ofReal: stopped.tid).map(String.init) ?? "?") stopped: \(try EventDescription.stop(stopped))")
        }
        var handoff: ResumeMode?
        var own = then
        if pausesReplayHere {
            own = .pause
        } else if case .resume(let mode) = then {
            if try nextEventNeedsHandoff(from: event.tid) || observer?.preparesStretch(atProgress: progress) == true {
                handoff = mode
            } else if !isWatched(realTid: stopped.tid) {
                // Only the process a debugger looks at is stepped.
                own = .resume(.cont)
            }
        }
        let applied = try applyEvent(event, to: stopped, index: index, then: handoff == nil ? own : .pause)
        guard let mode = handoff else { return applied }
        switch consume applied {
        case .paused(let thread, let signal):
            park(thread, signal: signal)
            return try dispatch(mode)
        case .running(let running): return .running(running)
        case .ended(let exit): return .ended(exit)
        case .endOfTrace(let thread): return .endOfTrace(thread)
        }
    }

    private func applyEvent(_ event: TraceEvent, to stopped: consuming StoppedThread, index: Int, then: Continuation) throws -> Applied {
        switch (stopped.stop, event) {
        case (.seccomp, .syscall(let recorded)):
            if case .createTask = SyscallTable.descriptor(for: recorded.number)?.replay, !SyscallResult.isError(recorded.result) {
                return try createTask(stopped, recorded, index: index, then: then)
            }
            let applied = try syscalls.replay(stopped, recorded, index: index, then: then)
            guard SyscallTable.descriptor(for: recorded.number)?.replay == .exit else { return applied }
            return try threadExiting(applied, recorded, index: index)
        case (.seccomp, .exec(let exec)):
            return try replaceImage(stopped, exec, index: index, then: then)
        case (.seccomp, .syscallEntered(let entry)):
            return try reachAnnouncedEntry(stopped, entry, index: index, then: then)
        case (.signal(let signal), .instruction(let recorded)):
            return try replayInstruction(signal, stopped, recorded, index: index, then: then)
        case (.signal(let signal), .signal(let recorded)):
            return try replaySignal(signal, stopped, recorded, index: index, then: then)
        default:
            let got = try EventDescription.stop(stopped)
            throw ReplayError.diverged(
                event: index, what: EventDescription.kind(of: event), expected: EventDescription.event(event), got: got)
        }
    }

    private func replayInstruction(
        _ signal: Int32, _ thread: consuming StoppedThread, _ recorded: InstructionTrapEvent, index: Int,
        then: Continuation
    ) throws -> Applied {
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
        switch then {
        case .resume(let mode): return .running(try thread.resume(mode))
        case .pause: return .paused(thread, pendingSignal: 0)
        }
    }

    private func replaySignal(
        _ signal: Int32, _ thread: consuming StoppedThread, _ recorded: SignalEvent, index: Int, then: Continuation
    ) throws -> Applied {
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
        switch then {
        case .resume(let mode): return .running(try thread.resume(mode, signal: signal))
        case .pause: return .paused(thread, pendingSignal: signal)
        }
    }
}

/// What to do once an event has been applied.
enum Continuation {
    /// Resume the guest this way.
    case resume(ResumeMode)
    /// Leave it stopped just past the event.
    case pause
}

/// The guest after one event has been applied.
enum Applied: ~Copyable {
    case running(RunningThread)
    /// Stopped just past the event; `pendingSignal` (if not 0) must be delivered when it resumes.
    case paused(StoppedThread, pendingSignal: Int32)
    case ended(GuestExit)
    /// Every event has been applied and the recording ended while the program still ran
    /// (`TraceHeader.interruptedBy`); the thread of the last event is returned, stopped.
    case endOfTrace(StoppedThread)
}
