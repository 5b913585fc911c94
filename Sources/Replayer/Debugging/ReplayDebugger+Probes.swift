import Glibc
import Guest
import Trace

/// Reaching places in hot loops: async points and arrival goals found by probes, which count
/// passes through an instruction inside the guest and trap only on the one that matters, with
/// an int3 marker (one trap per pass) where no probe can be placed.
extension ReplayDebugger {
    /// Readies a watched thread that runs towards its next event: an async point ahead gets a
    /// probe (or a marker), and the probes of this stretch are armed for a continue.
    func prepareToRun(_ thread: consuming StoppedThread, toward next: TraceEvent, mode: ResumeMode) throws -> StoppedThread {
        var current = thread
        guard mode == .cont else { return current }
        if let goal, !goal.placed, goal.interval == engine.progress {
            current = try place(goal, in: current)
        }
        if case .asyncPoint(let point) = next, executesAsyncPoints {
            current = try watchForAsyncPoint(point, current)
        }
        try probes.armForRun(current, interval: engine.progress, avoiding: runsInPlace)
        return current
    }

    /// A probe looking for async point `point`, which the thread runs towards; a marker at its
    /// instruction where no probe can be placed.
    private func watchForAsyncPoint(_ point: AsyncPointEvent, _ thread: consuming StoppedThread) throws -> StoppedThread {
        let address = point.registers.rip
        guard probes[address] == nil, !asyncPointMarkers.contains(address) else { return thread }
        let placed = try placeProbe(at: address, in: thread)
        let result = placed.result
        let current = placed.takeThread()
        switch result {
        case .success(let entry):
            let state = SoughtState(asyncPoint: point)
            entry.purpose = .asyncPoint(event: engine.progress + 1, state: state)
            try entry.probe.setChecks(try state.checks(current: try current.registers(), memory: current.memory), memory: current.memory)
            try startPacing(entry, in: current)
        case .failure(let refusal):
            noteFallback(at: address, refusal)
            markAsyncPoint(point, in: current.memory)
        }
        return current
    }

    /// Places a probe at `address` for the current stretch, if the thread's stop allows mapping
    /// memory into the guest and the code there allows a probe.
    func placeProbe(at address: UInt64, in thread: consuming StoppedThread) throws -> PlacedProbe {
        guard isInjectable(thread) else {
            return PlacedProbe(thread: thread, result: .failure(ProbeSet.Refusal(description: "the thread waits to take a signal")))
        }
        let masking = breakpoints.planted.masking
        return try probes.place(
            at: address, interval: engine.progress, in: thread, occupied: Set(breakpoints.planted.originals.keys),
            original: { bytes, start in masking(bytes, start) })
    }

    /// Whether a syscall can be injected at the thread's stop without losing anything: not at a
    /// signal stop whose signal is still to be delivered.
    func isInjectable(_ thread: borrowing StoppedThread) -> Bool {
        guard (try? thread.hasQueuedSignals()) == false else { return false }
        switch thread.stop {
        case .syscallExit, .seccomp: return true
        case .signal(SIGTRAP), .signal(SIGSTOP):
            guard let recorded = engine.threads.recordedTid(ofReal: thread.tid) else { return false }
            return engine.threads[recorded: recorded]?.pendingSignal == 0
        default: return false
        }
    }

    /// Addresses whose code must run where the program has it: planted breakpoints, and the
    /// hardware breakpoints.
    private var runsInPlace: Set<UInt64> {
        Set(breakpoints.planted.originals.keys).union(breakpoints.hardwareBreakpointAddresses)
    }

    /// Goals this few arrivals away are reached by a marker without a word about it.
    static let quietFallbackArrivals: UInt64 = 1000

    /// Says once per address why reaching it is slower than usual.
    private func noteFallback(at address: UInt64, _ refusal: ProbeSet.Refusal) {
        guard refusedProbeAddresses.insert(address).inserted else { return }
        FileHandleWriter.standardError(
            "rrdbg: no probe at 0x\(String(address, radix: 16)) (\(refusal)); reaching it costs one trap per pass\n")
    }

    /// Periodic checkpoints while a single-threaded guest runs a long stretch under a probe.
    private func startPacing(_ entry: ProbeSet.Entry, in thread: borrowing StoppedThread) throws {
        guard engine.threads.count == 1 else { return }
        entry.pacer = CheckpointPacer(from: try entry.probe.count(in: thread.memory))
        try entry.updateTarget(in: thread.memory)
    }

    // MARK: Stops

    /// What a stop means once probes and goals have had their say.
    enum Intercepted: ~Copyable {
        /// Not theirs: the stop goes on to the usual handling.
        case other(StoppedThread)
        /// Theirs, handled: the thread continues in this stretch.
        case resume(StoppedThread)
        /// An async point was reached: the replay goes on from it.
        case reachedAsyncPoint(StoppedThread)
        /// The current goal was met.
        case arrived(StoppedThread)
        /// A marker pass that is not the goal: step over it and continue.
        case passOver(StoppedThread)
    }

    /// Gives probes and the goal's marker the first look at every stop: probes are disarmed,
    /// a thread inside a stub is shown where it is in the program, and their traps handled.
    func intercept(_ stopped: consuming StoppedThread) throws -> Intercepted {
        let thread = stopped
        if !probes.isEmpty {
            let meaning = try probes.meaning(of: thread)
            try probes.disarmAll(in: thread)
            if case .trap(let kind, let address) = meaning { return try probeTrapped(kind, at: address, thread) }
        }
        guard let goal, !goal.probed, thread.stop == .signal(SIGTRAP), breakpoints.planted.contains(goal.address) else {
            return .other(thread)
        }
        var registers = try thread.registers()
        guard registers.rip &- 1 == goal.address, engine.progress == goal.interval else { return .other(thread) }
        registers.rip -= 1
        try thread.setRegisters(registers)
        goal.count += 1
        if try isMet(goal, registers: registers, memory: thread.memory) {
            goal.found = goal.count
            return .arrived(thread)
        }
        guard breakpoints.containsSoftware(goal.address) else { return .passOver(thread) }
        // The user's breakpoint shares the marker: the stop is theirs as well.
        registers.rip += 1
        try thread.setRegisters(registers)
        return .other(thread)
    }

    private func isMet(_ goal: ArrivalGoal, registers: Registers, memory: GuestMemory) throws -> Bool {
        if let target = goal.target { return goal.count == target }
        guard let state = goal.state else { return false }
        return try state.verify(registers, memory)
    }

    /// A probe's trap: a checkpoint due, the goal's arrival, or a state that may be the one
    /// sought (verified in full here; a false match teaches the probe more words to compare).
    private func probeTrapped(_ kind: InstructionProbe.Trap, at address: UInt64, _ stopped: consuming StoppedThread) throws -> Intercepted {
        var thread = stopped
        guard let entry = probes[address] else { return .resume(thread) }
        let memory = thread.memory
        let count = try entry.probe.count(in: memory)
        if let goal, goal.probed, goal.address == address { goal.count = count }
        switch kind {
        case .target:
            let paced = entry.pacer.map { count >= $0.next } ?? false
            let scheduled = entry.scheduled.first == count
            if paced || scheduled {
                let place = Place(eventIndex: entry.interval, anchor: Anchor(address: address, arrival: count))
                thread = try checkpoint(DebugPosition(thread: thread, reason: .stepped), at: place).takeThread()
                if paced { entry.pacer?.checkpointTaken(at: count) }
                entry.scheduled.removeAll { $0 <= count }
                try entry.updateTarget(in: memory)
            }
            guard let goal, goal.probed, goal.address == address, goal.target == count else { return .resume(thread) }
            goal.found = count
            return .arrived(thread)
        case .match:
            guard let state = entry.purpose.state else { return .resume(thread) }
            let view = try thread.registers()
            guard try state.verify(view, memory) else {
                try entry.probe.setChecks(try state.refined(entry.probe.checks, memory: memory), memory: memory)
                return .resume(thread)
            }
            switch entry.purpose {
            case .asyncPoint(let event, _):
                guard event == engine.progress + 1, try engine.pendingAsyncPoint(ofReal: thread.tid) != nil else {
                    return .resume(thread)
                }
                asyncPointArrivals[event] = Anchor(address: address, arrival: count)
                try engine.completeAsyncPoint(thread)
                return .reachedAsyncPoint(try probes.remove(address, from: thread, unmapping: true))
            case .instant, .count:
                goal?.found = count
                return .arrived(thread)
            }
        }
    }

    /// Resumes a thread within its stretch, with the stretch's probes armed.
    func continueRunning(_ thread: consuming StoppedThread) throws -> RunningThread {
        try probes.armForRun(thread, interval: engine.progress, avoiding: runsInPlace)
        return try thread.resume(.cont)
    }

    // MARK: Goals

    /// Puts a probe (or else a marker) for `goal` in the guest, as its stretch starts.
    private func place(_ goal: ArrivalGoal, in thread: consuming StoppedThread) throws -> StoppedThread {
        goal.placed = true
        let placed = try placeProbe(at: goal.address, in: thread)
        let result = placed.result
        let current = placed.takeThread()
        switch result {
        case .success(let entry):
            goal.probed = true
            entry.purpose = goal.state.map { .instant($0) } ?? .count
            entry.goal = goal.target
            entry.scheduled = goal.checkpointsAt.filter { $0 > goal.count }.sorted()
            entry.arrivalCounted = goal.startsAtCountedArrival
            try entry.probe.setCount(goal.count, memory: current.memory)
            if let state = goal.state {
                try entry.probe.setChecks(try state.checks(current: try current.registers(), memory: current.memory), memory: current.memory)
            }
            try startPacing(entry, in: current)
            try entry.updateTarget(in: current.memory)
        case .failure(let refusal):
            // A marker is slow only where the goal may be many passes away.
            if goal.target.map({ $0 > Self.quietFallbackArrivals }) ?? true { noteFallback(at: goal.address, refusal) }
            plantMarker(goal.address, in: current.memory)
            // Resumed on the marker, the thread traps at once and counts its arrival again
            // (unless it was stepped past it already, as a breakpoint there is).
            if goal.startsAtCountedArrival, try current.registers().rip == goal.address { goal.count -= 1 }
        }
        return current
    }

    /// Makes `goal` what the next runs look for: its probe or marker is placed when its stretch
    /// starts (the engine hands the thread to the debugger there). An async point ending the
    /// stretch is then reached by running, since the goal may come before it.
    func startPursuing(_ goal: ArrivalGoal) {
        self.goal = goal
        stretchToPrepare = goal.interval
        executesAsyncPoints = true
    }

    /// Stops looking for the current goal: its probe or marker is removed from `position`'s
    /// guest, and the goal's count is brought up to date.
    func stopPursuing(_ goal: ArrivalGoal, at position: consuming DebugPosition) throws -> DebugPosition {
        self.goal = nil
        stretchToPrepare = nil
        executesAsyncPoints = false
        guard goal.placed else { return position }
        let reason = position.reason
        var thread = position.takeThread()
        if goal.probed, let entry = probes[goal.address] {
            if goal.found == nil { goal.count = try entry.probe.count(in: thread.memory) }
            thread = try probes.remove(goal.address, from: thread, unmapping: isInjectable(thread))
        } else if !goal.probed {
            try breakpoints.removeMarker(goal.address, in: thread.memory)
        }
        return DebugPosition(thread: thread, reason: reason)
    }

    /// Runs the guest, paused in the stretch of `goal`, until the goal is met, the stretch ends
    /// (the pause after its event) or gdb interrupts; nothing but the goal's probe or marker is
    /// planted.
    func pursue(_ goal: ArrivalGoal, from position: consuming DebugPosition) throws -> DebugPosition {
        startPursuing(goal)
        let reached: DebugPosition
        do {
            reached = try runUntilProgress(goal.interval + 1, from: position)
        } catch {
            self.goal = nil
            stretchToPrepare = nil
            executesAsyncPoints = false
            throw error
        }
        return try stopPursuing(goal, at: reached)
    }
}
