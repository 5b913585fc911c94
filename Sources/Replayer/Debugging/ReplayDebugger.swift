import Glibc
import Guest
import Syscalls
import Trace

/// A guest stopped where a debugger can look at it, and why.
public struct DebugPosition: ~Copyable {
    public var thread: StoppedThread
    public var reason: DebugStop

    public consuming func takeThread() -> StoppedThread { thread }
}

/// Runs a replay under a debugger's control: forward to the next breakpoint, watchpoint,
/// signal or interrupt, or one instruction at a time, applying recorded events on the way.
///
/// Breakpoints are int3 bytes in the guest and watchpoints are the CPU's debug registers, so a
/// `continue` runs at replay speed. Replay never goes past its recorded end: it stops before the
/// event that ends the program and reports the end of history instead.
public final class ReplayDebugger {
    let trace: TraceDirectory
    private(set) var engine: ReplayEngine
    /// The user's breakpoints and watchpoints, and reverse execution's markers.
    let breakpoints = BreakpointSet()
    /// Whether the debugged process's async points are reached by running (see
    /// `ReplayObserver.executesAsyncPoints`); set for each run of the current guest.
    var executesAsyncPoints = false
    /// The `ReplayEngine.progress` a run of the current guest pauses at, if any.
    var pausesAtProgress: Int?
    /// The stretch whose start the current guest's thread is handed over at, to place the
    /// goal's probe (see `ReplayObserver.preparesStretch`).
    var stretchToPrepare: Int?
    /// A recorded signal reported to the debugger, delivered when the guest resumes.
    private(set) var pendingSignal: Int32 = 0
    /// True while reverse execution re-executes what already ran, which must not print again.
    var reexecuting = false {
        didSet { engine.echoesOutput = !reexecuting }
    }
    /// Where the current guest is, when reverse execution knows it; single steps keep it known.
    var currentPlace: Place?
    /// The place where history begins: the program's start, or under `-p` the debugged
    /// process's.
    var historyStart: Place?
    /// Stopped copies of the guest at known places, for reverse execution.
    let checkpoints = CheckpointStore(limit: 48)
    /// Asks for the guest to be interrupted; called while it runs.
    public var interruptRequested: () -> Bool = { false }
    private var interruptSent = false
    /// Breakpoints planted at async points' instructions where no probe could be placed.
    var asyncPointMarkers: Set<UInt64> = []
    /// Probes in the current guest, and the code maps they were placed with (kept across
    /// guests: re-executions run the same code).
    let codeMaps = CodeMapCache()
    private(set) lazy var probes = ProbeSet(codeMaps: codeMaps)
    /// What the current run looks for, if it looks for an arrival.
    var goal: ArrivalGoal?
    /// For async points reached by running: the arrival at their instruction that they were, by
    /// the progress they are (see `ProbeSet.Purpose.asyncPoint`). It names the instant before the
    /// point without running to find it again.
    var asyncPointArrivals: [Int: Anchor] = [:]
    /// Arrivals at the debugger's breakpoints in the current stretch, and the place of the last.
    var breakpointArrivals = BreakpointArrivals()
    var placeOfLastArrival: Place?
    /// What reverse execution knows of each event, to step back over it.
    private(set) lazy var events = EventSummaries(trace: trace)
    /// Addresses where no probe could be placed, already reported.
    var refusedProbeAddresses: Set<UInt64> = []
    /// The thread the replay last resumed: the one an interrupt must stop.
    private var runningTid: pid_t?
    /// When gdb was last asked whether it wants to interrupt, while the guest stops too often
    /// for the idle poll of a running guest to come round.
    private var lastInterruptPoll = ContinuousClock.now

    /// The process the debugger shows (`-p PID`), when it is not the first one.
    public let focus: Int32?

    public init(trace: TraceDirectory, process: Int32? = nil) throws {
        self.trace = trace
        engine = try ReplayEngine(trace: trace)
        focus = process == engine.recordedPID ? nil : process
    }

    /// The auxiliary vector the program started with (after rrdbg's edits), for `qXfer:auxv`.
    public private(set) var auxiliaryVector: [UInt8] = []

    /// The recorded id of the process the debugger shows.
    public var recordedPID: Int32 {
        focus ?? engine.recordedPID
    }

    /// The recorded ids of that process's live threads, in creation order.
    public var threadIDs: [Int32] {
        engine.threads.all.filter { $0.pid == recordedPID }.map(\.recordedTid)
    }

    /// The recorded id of a thread of the replay.
    public func recordedTid(of thread: borrowing StoppedThread) -> Int32 {
        engine.threads.recordedTid(ofReal: thread.tid) ?? engine.recordedPID
    }

    /// The registers of a thread that waits for its turn while another has stopped.
    public func registers(ofWaitingThread recordedTid: Int32) throws -> (Registers, FloatingPointRegisters)? {
        guard let waiting = engine.threads[recorded: recordedTid], let stopped = waiting.parked.take() else { return nil }
        let general = try? stopped.registers()
        let floatingPoint = try? stopped.floatingPointRegisters()
        waiting.parked = consume stopped
        guard let general, let floatingPoint else { return nil }
        return (general, floatingPoint)
    }

    /// Starts (or restarts) the replay at the program's first instruction. gdb plants its
    /// breakpoints again in a new run, so they are forgotten here.
    public func start() throws -> DebugPosition {
        breakpoints.forgetSoftware()
        return try restart(plantingBreakpoints: false)
    }

    /// A fresh guest at the first instruction; with `plantingBreakpoints`, the debugger's
    /// breakpoints are in place, as they were in the guest it replaces.
    func restart(plantingBreakpoints: Bool) throws -> DebugPosition {
        let engine = try ReplayEngine(trace: trace)
        engine.focusPID = focus
        let thread = try engine.start()
        // Without -p the first process is the one debugged; its children run unseen, as rr does.
        engine.focusPID = focus ?? engine.recordedPID
        adopt(thread, engine: engine, pendingSignal: 0, plantingBreakpoints: plantingBreakpoints && focus == nil)
        var position = DebugPosition(thread: thread, reason: .start)
        auxiliaryVector = try AuxiliaryVector(stackPointer: try position.thread.registers().rsp, memory: position.thread.memory).bytes
        if let focus {
            var executed = false
            position = try runToFocus(focus, from: position, executed: &executed)
            if executed {
                auxiliaryVector = try AuxiliaryVector(
                    stackPointer: try position.thread.registers().rsp, memory: position.thread.memory).bytes
            }
            if plantingBreakpoints { plantUserBreakpoints(in: position.thread.memory) }
        }
        currentPlace = Place(eventIndex: engine.progress, steps: 0)
        historyStart = currentPlace
        breakpointArrivals.resume(at: engine.progress, fromStretchStart: true)
        return position
    }

    /// Replays, unseen, up to where process `pid` starts: its first exec, or else its creation.
    /// Also tells whether it started at an exec, with a stack of its own to read auxv from.
    private func runToFocus(_ pid: Int32, from start: consuming DebugPosition, executed started: inout Bool) throws -> DebugPosition {
        let reader = try TraceReader(directory: trace)
        var index = -1
        var created: Int?
        var executed: Int?
        while executed == nil, let event = try reader.next() {
            index += 1
            switch event {
            case .exec(let exec) where exec.tid == pid: executed = index
            case .syscall(let call) where created == nil && call.result == Int64(pid)
                && SyscallTable.descriptor(for: call.number)?.replay == .createTask: created = index
            default: continue
            }
        }
        guard let ready = executed ?? created else {
            start.thread.process.killAndReap()
            throw ReplayError.unreplayable(event: 0, reason: "the recording has no process \(pid) (rrdbg ps lists its processes)")
        }
        var position = try runUntilApplied(ready, from: start)
        if recordedTid(of: position.thread) != pid, let child = engine.threads[recorded: pid], let stopped = child.parked.take() {
            engine.park(position.takeThread(), signal: pendingSignal)
            pendingSignal = 0
            position = DebugPosition(thread: stopped, reason: .start)
        }
        position.reason = .start
        started = executed != nil
        return position
    }

    /// Makes `thread`, driven by `engine`, the guest this debugger controls.
    func adopt(_ thread: borrowing StoppedThread, engine: ReplayEngine, pendingSignal: Int32, plantingBreakpoints: Bool) {
        engine.echoesOutput = !reexecuting
        engine.observer = self
        self.engine = engine
        self.pendingSignal = pendingSignal
        executesAsyncPoints = false
        pausesAtProgress = nil
        stretchToPrepare = nil
        breakpoints.guestReplaced(replanting: plantingBreakpoints)
        probes = ProbeSet(codeMaps: codeMaps)
        let pid = thread.tid
        thread.process.whileRunning(every: 0.05) { [weak self] in self?.pollInterrupt(pid: pid) }
        plantQueuedBreakpoints(in: thread.memory)
        asyncPointMarkers.removeAll()
    }

    /// Plants the debugger's breakpoints in a re-executed guest. Those in code that is not
    /// mapped yet (a library loaded later) are planted as soon as replay maps it.
    func plantUserBreakpoints(in memory: GuestMemory) {
        breakpoints.queueSoftware()
        plantQueuedBreakpoints(in: memory)
    }

    /// Whether `memory` is the debugged process's: breakpoints go there only.
    func isDebuggedProcess(_ memory: GuestMemory) -> Bool {
        engine.threads[recorded: recordedPID].map { $0.realTid == memory.pid } ?? (focus == nil)
    }

    /// Plants a breakpoint of reverse execution's own, now or once its code is mapped.
    func plantMarker(_ address: UInt64, in memory: GuestMemory) {
        breakpoints.queueMarker(address)
        plantQueuedBreakpoints(in: memory)
    }

    /// Plants the breakpoints and markers that wait, where their code is mapped, if `memory` is
    /// the debugged process's.
    func plantQueuedBreakpoints(in memory: GuestMemory) {
        guard isDebuggedProcess(memory) else { return }
        breakpoints.plantQueued(in: memory)
    }

    // MARK: Breakpoints and watchpoints

    public func insertSoftwareBreakpoint(_ address: UInt64, in thread: borrowing StoppedThread) throws {
        try breakpoints.insertSoftware(address, in: thread.memory)
    }

    public func removeSoftwareBreakpoint(_ address: UInt64, in thread: borrowing StoppedThread) throws {
        try breakpoints.removeSoftware(address, in: thread.memory)
    }

    /// Arms a debug register; false when all four are in use.
    public func insertHardware(_ slot: DebugRegisterSlot, kind: WatchKind?) -> Bool {
        breakpoints.insertHardware(slot, kind: kind)
    }

    public func removeHardware(_ slot: DebugRegisterSlot) {
        breakpoints.removeHardware(slot)
    }

    /// Guest memory as the program sees it: planted breakpoints show their original bytes.
    /// Stops at the first unreadable page, like a partial `m` reply.
    public func readMemory(_ address: UInt64, count: Int, in thread: borrowing StoppedThread) -> [UInt8] {
        var bytes: [UInt8] = []
        var cursor = address
        while bytes.count < count {
            let chunk = min(count - bytes.count, Int(4096 - cursor % 4096))
            guard let read = try? thread.memory.read(cursor, count: chunk) else { break }
            bytes += read
            cursor += UInt64(chunk)
        }
        return breakpoints.planted.masking(bytes, at: address)
    }

    // MARK: Running

    /// Runs forward until something the debugger must see, or one instruction if `step`.
    public func resume(_ position: consuming DebugPosition, step: Bool) throws -> DebugPosition {
        let place = step ? currentPlace : nil
        let before = engine.progress
        let resumed = try advance(position, step: step)
        if let place, resumed.reason == .stepped {
            currentPlace = engine.progress == before ? place.next : Place(eventIndex: engine.progress)
        } else {
            currentPlace = knownPlace(of: resumed)
        }
        return resumed
    }

    /// Counts an arrival at a breakpoint of the debugger's, and keeps its place for the stop it
    /// makes.
    func noteArrival(at address: UInt64) {
        guard breakpoints.containsSoftware(address) else { return }
        placeOfLastArrival = breakpointArrivals.arrived(at: address, progress: engine.progress)
            .map { Place(eventIndex: engine.progress, anchor: $0) }
    }

    /// The place of a stop a continue ended at, when the stop itself says it: at a breakpoint
    /// whose arrivals were counted, right after a recorded signal, or at the end of a recording
    /// that ended while the program ran.
    func knownPlace(of position: borrowing DebugPosition) -> Place? {
        switch position.reason {
        case .softwareBreakpoint(let address):
            return placeOfLastArrival?.anchor?.address == address ? placeOfLastArrival : nil
        case .signal:
            return Place(eventIndex: engine.progress)
        case .endOfHistory where !(position.thread.stop == .seccomp && engine.nextEventEndsProgram):
            return Place(eventIndex: engine.progress)
        default:
            return nil
        }
    }

    /// `resume` without keeping track of the place.
    func advance(_ position: consuming DebugPosition, step: Bool) throws -> DebugPosition {
        placeOfLastArrival = nil
        if position.reason == .endOfHistory || (pendingSignal != 0 && engine.nextEventEndsProgram) {
            position.reason = .endOfHistory
            return position
        }
        var thread = position.takeThread()
        let rip = try thread.registers().rip
        guard breakpoints.planted.contains(rip) else { return try run(thread, step: step) }
        // Step the instruction under the breakpoint with the original byte in place.
        try breakpoints.planted.lift(rip, in: thread.memory)
        let stepped = try run(thread, step: true)
        try breakpoints.planted.replant(rip, in: stepped.thread.memory)
        guard !step, stepped.reason == .stepped else { return stepped }
        thread = stepped.takeThread()
        return try run(thread, step: false)
    }

    func run(_ thread: consuming StoppedThread, step: Bool) throws -> DebugPosition {
        breakpoints.assignHardware()
        executesAsyncPoints = step || goal != nil || !breakpoints.isEmpty
        return try drive(thread, step: step, pausingAfter: nil)
    }

    /// Applies events without stopping until event `index` has been applied, and pauses right
    /// after it. Only events stop the guest here: nothing is planted or armed.
    func runUntilApplied(_ index: Int, from position: consuming DebugPosition) throws -> DebugPosition {
        try drive(position.takeThread(), step: false, pausingAfter: .event(index))
    }

    /// Like `runUntilApplied`, to the point where `ReplayEngine.progress` reaches `progress`:
    /// the same as an event index, except under `-p`, where it counts the debugged process's
    /// events only, and places are kept in those terms.
    func runUntilProgress(_ progress: Int, from position: consuming DebugPosition) throws -> DebugPosition {
        // Events applied without a stop (another thread's async point, say) reach it too.
        pausesAtProgress = progress
        defer { pausesAtProgress = nil }
        return try drive(position.takeThread(), step: false, pausingAfter: .progress(progress))
    }

    /// Where `drive` pauses without a debugger stop.
    private enum PauseTarget {
        case event(Int)
        case progress(Int)
    }

    /// The loop under `run` and `runUntilApplied`: resumes the guest, applies recorded events,
    /// and returns at the first stop the debugger must see, or right after the event
    /// `pausingAfter` names when that is given.
    private func drive(_ thread: consuming StoppedThread, step: Bool, pausingAfter index: PauseTarget?) throws -> DebugPosition {
        engine.park(thread, signal: pendingSignal)
        pendingSignal = 0
        var applied = try engine.dispatch(step ? .singleStep : .cont)
        while true {
            switch consume applied {
            case .ended(let exit):
                throw endedUnexpectedly(exit)
            case .endOfTrace(let last):
                return DebugPosition(thread: last, reason: .endOfHistory)
            case .paused(let paused, let signal):
                if index == nil && !engine.isWatched(realTid: paused.tid) {
                    engine.park(paused, signal: signal)
                    applied = try engine.dispatch(step ? .singleStep : .cont)
                    continue
                }
                pendingSignal = signal
                let reason: DebugStop = pausesAtProgress == engine.progress ? .arrived
                    : signal != 0 && index == nil ? .signal(signal) : .stepped
                return DebugPosition(thread: paused, reason: reason)
            case .running(let running):
                runningTid = running.tid
                let tid = running.tid
                pollInterruptIfDue(pid: running.process.pid)
                let outcome = try running.wait()
                switch consume outcome {
                case .ended(let exit):
                    applied = try engine.threadDied(tid, exit)
                case .stopped(let caught):
                    let stopped: StoppedThread
                    switch try intercept(caught) {
                    case .other(let thread):
                        stopped = thread
                    case .resume(let thread):
                        applied = .running(try continueRunning(thread))
                        continue
                    case .reachedAsyncPoint(let thread):
                        if pausesAtProgress == engine.progress { return DebugPosition(thread: thread, reason: .arrived) }
                        engine.park(thread, signal: 0)
                        applied = try engine.dispatch(.cont)
                        continue
                    case .passOver(let thread):
                        applied = try passOver(thread)
                        continue
                    case .arrived(let thread):
                        return DebugPosition(thread: thread, reason: .arrived)
                    }
                    if let index {
                        if stopped.stop == .signal(SIGSTOP) && interruptSent {
                            interruptSent = false
                            // Runs to a place are reverse execution's, which Ctrl-C abandons.
                            if case .progress = index { throw ReverseExecutionInterrupted() }
                            applied = .running(try continueRunning(stopped))
                            continue
                        }
                        let last: Bool
                        switch index {
                        case .event(let event): last = engine.cursor.index + 1 == event
                        case .progress(let progress):
                            last = engine.isWatched(realTid: stopped.tid) && engine.progress + 1 == progress
                        }
                        applied = try engine.apply(stopped, then: last ? .pause : .resume(.cont))
                        continue
                    }
                    switch try classify(stopped, step: step) {
                    case .visible(let position):
                        return position
                    case .event(let event):
                        let watched = engine.isWatched(realTid: event.tid)
                        if watched, let hit = try watchpointWrittenByNextSyscall() {
                            // The kernel's write is no instruction the CPU can trap on.
                            let afterCall = try engine.apply(event, then: .pause)
                            switch consume afterCall {
                            case .paused(let paused, let signal):
                                pendingSignal = signal
                                return DebugPosition(thread: paused, reason: .watchpoint(hit.kind, hit.address))
                            case let other:
                                applied = other
                                continue
                            }
                        }
                        applied = try engine.apply(event, then: watched ? try continuation(step: step) : .resume(step ? .singleStep : .cont))
                    case .runOn(let thread):
                        if pausesAtProgress == engine.progress { return DebugPosition(thread: thread, reason: .arrived) }
                        engine.park(thread, signal: 0)
                        applied = try engine.dispatch(.cont)
                    case .passOver(let thread):
                        applied = try passOver(thread)
                    }
                }
            }
        }
    }

    private func endedUnexpectedly(_ exit: GuestExit) -> Error {
        ReplayError.unreplayable(event: engine.cursor.index, reason: "the program ended unexpectedly (\(exit))")
    }

    /// A stop is for the debugger, the next recorded event, or a pass through an async
    /// point's instruction: the point itself (run on), or an earlier pass (step over the marker).
    private enum Classified: ~Copyable {
        case visible(DebugPosition)
        case event(StoppedThread)
        case runOn(StoppedThread)
        case passOver(StoppedThread)
    }

    /// The write or access watchpoint that the next event's recorded memory writes (a `read`
    /// into a watched buffer, say) touch, if any.
    private func watchpointWrittenByNextSyscall() throws -> (kind: WatchKind, address: UInt64)? {
        guard case .syscall(let call)? = try engine.cursor.peek(), !call.memoryWrites.isEmpty else { return nil }
        return breakpoints.watchpoint(touchedBy: call.memoryWrites)
    }

    /// Plants a marker at the instruction of an async point that a thread runs towards.
    func markAsyncPoint(_ point: AsyncPointEvent, in memory: GuestMemory) {
        let address = point.registers.rip
        guard !breakpoints.planted.contains(address) || asyncPointMarkers.contains(address) else { return }
        if (try? breakpoints.planted.insert(address, in: memory)) != nil { asyncPointMarkers.insert(address) }
    }

    /// Executes the instruction under a marker (an async point's, or a goal's) and lets the
    /// thread run on.
    func passOver(_ thread: consuming StoppedThread) throws -> Applied {
        let rip = try thread.registers().rip
        try breakpoints.planted.lift(rip, in: thread.memory)
        let tid = thread.tid
        let outcome = try thread.resume(.singleStep).wait()
        switch consume outcome {
        case .ended(let exit):
            return try engine.threadDied(tid, exit)
        case .stopped(let stepped):
            try breakpoints.planted.replant(rip, in: stepped.memory)
            engine.park(stepped, signal: 0)
            return try engine.dispatch(.cont)
        }
    }

    private func classify(_ stopped: consuming StoppedThread, step: Bool) throws -> Classified {
        switch stopped.stop {
        case .seccomp where engine.nextEventEndsProgram:
            return .visible(DebugPosition(thread: stopped, reason: .endOfHistory))
        case .signal(SIGTRAP):
            for index in try stopped.takeTriggeredDebugRegisters() {
                guard let reason = breakpoints.hardwareStop(triggered: index) else { continue }
                return .visible(DebugPosition(thread: stopped, reason: reason))
            }
            if step {
                if let point = try engine.pendingAsyncPoint(ofReal: stopped.tid), try AsyncPointMatch.matches(point, registers: try stopped.registers(), memory: stopped.memory) {
                    try engine.completeAsyncPoint(stopped)
                }
                return .visible(DebugPosition(thread: stopped, reason: .stepped))
            }
            var registers = try stopped.registers()
            if breakpoints.planted.contains(registers.rip - 1) && !engine.isWatched(realTid: stopped.tid) {
                // A breakpoint byte a process inherited by forking from the one being debugged.
                registers.rip -= 1
                try stopped.setRegisters(registers)
                if let original = breakpoints.planted.originals[registers.rip] { try stopped.memory.write([original], at: registers.rip) }
                return .runOn(stopped)
            }
            if breakpoints.planted.contains(registers.rip - 1) {
                registers.rip -= 1
                try stopped.setRegisters(registers)
                noteArrival(at: registers.rip)
                let userStop = breakpoints.containsSoftware(registers.rip) || !asyncPointMarkers.contains(registers.rip)
                if let point = try engine.pendingAsyncPoint(ofReal: stopped.tid), point.registers.rip == registers.rip {
                    guard try AsyncPointMatch.matches(point, registers: try stopped.registers(), memory: stopped.memory) else {
                        return userStop ? .visible(DebugPosition(thread: stopped, reason: .softwareBreakpoint(registers.rip))) : .passOver(stopped)
                    }
                    try engine.completeAsyncPoint(stopped)
                    if asyncPointMarkers.remove(registers.rip) != nil {
                        try breakpoints.removeMarker(registers.rip, in: stopped.memory)
                    }
                    guard userStop else { return .runOn(stopped) }
                }
                return .visible(DebugPosition(thread: stopped, reason: .softwareBreakpoint(registers.rip)))
            }
            return .event(stopped)
        case .signal(SIGSTOP) where interruptSent:
            interruptSent = false
            return .visible(DebugPosition(thread: stopped, reason: .interrupted))
        default:
            return .event(stopped)
        }
    }

    /// Recorded signals always stop for the debugger; other events resume unless stepping.
    private func continuation(step: Bool) throws -> Continuation {
        if case .signal? = try engine.cursor.peek() { return .pause }
        return step ? .pause : .resume(.cont)
    }

    private func pollInterrupt(pid: Int32) {
        lastInterruptPoll = ContinuousClock.now
        guard !interruptSent, interruptRequested() else { return }
        interruptSent = true
        try? GuestProcess.signal(runningTid ?? pid, of: pid, SIGSTOP)
    }

    private func pollInterruptIfDue(pid: Int32) {
        if ContinuousClock.now - lastInterruptPoll >= .milliseconds(50) { pollInterrupt(pid: pid) }
    }
}
