import Guest
import Syscalls

/// Reverse execution by re-execution from checkpoints.
///
/// rrdbg has no branch counter to say "go back N instructions". It names points by places (an
/// event, then the N-th arrival at an address, then single steps; see `Place`) and reaches
/// them again by re-executing, which is exact because replay is deterministic. Probes count
/// arrivals inside the guest, so a place deep in a hot loop is reached at close to native
/// speed; checkpoints (forks of the stopped guest) are taken at events, at anchors, every
/// `checkpointInterval` steps and periodically while a probe runs, so most commands re-execute
/// little.
/// - reverse-stepi finds the current place (from what the debugger already knows, or by a
///   probe run that recognises the current state) and reaches the place one step earlier;
/// - reverse-continue searches backwards in windows of growing size along the current place's
///   anchor, running each forward with the debugger's breakpoints and watchpoints armed, and
///   stops at the last hit of the first window that has one; the stretches before are scanned
///   from the start of the recording.
/// The current guest is replaced by the re-executed one, so forward execution continues from
/// any point reached backwards.
extension ReplayDebugger {
    public func reverseStep(_ position: consuming DebugPosition) throws -> DebugPosition {
        let outermost = !reexecuting
        reexecuting = true
        defer { if outermost { reexecuting = false } }
        let place: Place
        if let known = try placeWithoutRunning(position) {
            place = known
        } else {
            place = try locate(try instant(of: position), reference: position.thread)
        }
        position.thread.process.killAndReap()
        guard let previous = try previous(of: place) else { return try backAtTheStart() }
        var result = try reach(previous)
        plantUserBreakpoints(in: result.thread.memory)
        currentPlace = previous
        result.reason = .stepped
        return result
    }

    public func reverseContinue(_ position: consuming DebugPosition) throws -> DebugPosition {
        let outermost = !reexecuting
        reexecuting = true
        defer { if outermost { reexecuting = false } }
        let known = try placeWithoutRunning(position).map(runningPlace)
        // Windows start from checkpoints, which need a single thread; otherwise every window
        // would re-execute the recording from its start.
        guard engine.threads.count == 1 else {
            let end: ScanEnd
            if let known {
                end = .place(known)
            } else {
                let target = try instant(of: position)
                let state = try target.sought(reference: position.thread) { [unowned self] in self.probes.mappedRanges }
                end = .state(ArrivalGoal(address: target.address, interval: target.progress, state: state))
            }
            // The reference's process lives as long as its replay.
            let referenceReplay = engine
            let found = try lastStopByScanning(until: end)
            withExtendedLifetime(referenceReplay) { position.thread.process.killAndReap() }
            return found
        }
        let place = try known ?? locate(try instant(of: position), reference: position.thread)
        position.thread.process.killAndReap()
        if let found = try lastStopInStretch(before: place) { return found }
        guard place.eventIndex > historyStart?.eventIndex ?? 0 else { return try backAtTheStart() }
        return try lastStopByScanning(until: .place(Place(eventIndex: place.eventIndex)))
    }

    /// The current instant, for finding it again.
    func instant(of position: borrowing DebugPosition) throws -> ReplayInstant {
        try ReplayInstant(position.thread, eventIndex: engine.cursor.index, progress: engine.progress, excluding: probes.mappedRanges)
    }

    /// The current place when it is known without running the replay again: kept since the
    /// last stop, or the program's last call, entered (one step from its instruction).
    private func placeWithoutRunning(_ position: borrowing DebugPosition) throws -> Place? {
        if let currentPlace { return currentPlace }
        guard position.thread.stop == .seccomp, engine.nextEventEndsProgram else { return nil }
        let registers = try position.thread.registers()
        guard SyscallTable.descriptor(for: registers.syscallNumber)?.replay == .exit else { return nil }
        let call = registers.rip &- 2
        return Place(eventIndex: engine.progress, anchor: Anchor(address: call, arrival: 1), steps: 1)
    }

    private func backAtTheStart() throws -> DebugPosition {
        let start = try restart(plantingBreakpoints: true)
        return DebugPosition(thread: start.takeThread(), reason: .beginOfHistory)
    }

    // MARK: Windows in the current stretch

    /// How much larger each window is than the one after it.
    static let windowGrowth: UInt64 = 8

    /// The last breakpoint or watchpoint hit before `place` in its stretch, searched in windows
    /// that grow going back along the place's anchor, each run from a checkpoint at its start
    /// (one run places them all); nil if none has one.
    private func lastStopInStretch(before place: Place) throws -> DebugPosition? {
        guard let anchor = place.anchor else {
            return try lastStop(from: Place(eventIndex: place.eventIndex), to: place)
        }
        var starts: [UInt64] = []
        var width: UInt64 = 1
        var high = anchor.arrival
        while high > 0 {
            let low = high > width ? high - width : 0
            starts.append(low)
            high = low
            width *= Self.windowGrowth
        }
        let along = { (arrival: UInt64) in
            arrival == 0 ? Place(eventIndex: place.eventIndex) : Place(eventIndex: place.eventIndex, anchor: Anchor(address: anchor.address, arrival: arrival))
        }
        if let nearest = starts.first, nearest > 0 {
            try reach(along(nearest), checkpointsAt: starts).thread.process.killAndReap()
        }
        var bound = place
        for start in starts {
            if let found = try lastStop(from: along(start), to: bound) { return found }
            bound = along(start)
        }
        return nil
    }

    /// The last user stop in `[start, bound)`, two places of one stretch along one anchor (or
    /// from the stretch's start), reached and made the current position; nil if there is none.
    private func lastStop(from start: Place, to bound: Place) throws -> DebugPosition? {
        var position = try reach(start)
        plantUserBreakpoints(in: position.thread.memory)
        let stops = StopLog()
        let goal = bound.anchor.map {
            ArrivalGoal(
                address: $0.address, interval: bound.eventIndex, from: start.anchor?.arrival ?? 0,
                startsAtCountedArrival: start.anchor != nil, target: $0.arrival)
        }
        let pc = try position.thread.registers().rip
        if breakpoints.containsSoftware(pc) {
            position = DebugPosition(thread: try stops.keep(.softwareBreakpoint(pc), at: start, position.takeThread(), debugger: self), reason: .stepped)
        }
        if let goal {
            startPursuing(goal)
            var arrived = false
            while !arrived {
                position = try advance(position, step: false)
                switch position.reason {
                case .arrived:
                    arrived = true
                case .softwareBreakpoint, .hardwareBreakpoint, .watchpoint:
                    let reason = position.reason
                    position = DebugPosition(thread: try stops.keep(reason, arrival: goal.count, position.takeThread(), debugger: self), reason: reason)
                case .interrupted:
                    return try stopPursuing(goal, at: position)
                case .endOfHistory, .beginOfHistory:
                    try stopPursuing(goal, at: position).thread.process.killAndReap()
                    throw ReplayError.unreplayable(event: bound.eventIndex, reason: "reverse execution could not reach \(bound) again")
                case .start, .stepped, .signal:
                    continue
                }
            }
            position = try stopPursuing(goal, at: position)
        }
        position = try step(position, from: Place(eventIndex: bound.eventIndex, anchor: bound.anchor), bound.steps, logging: stops)
        position.thread.process.killAndReap()
        guard !stops.isEmpty else { return nil }
        let bracket = stops.latestArrival == 0 || bound.anchor == nil
            ? Place(eventIndex: bound.eventIndex)
            : Place(eventIndex: bound.eventIndex, anchor: Anchor(address: bound.anchor!.address, arrival: stops.latestArrival))
        return try arrive(at: stops, searchingFrom: bracket)
    }

    /// Single-steps `count` times from `place`, logging the breakpoints and watchpoints hit on
    /// the way. Arriving at the last step's place is not a stop before it (a write the last step
    /// made is).
    private func step(_ position: consuming DebugPosition, from place: Place, _ count: Int, logging stops: StopLog) throws -> DebugPosition {
        var current = position
        var stepped = place
        for step in 0..<count {
            current = try advance(current, step: true)
            stepped = stepped.next
            let pc = try current.thread.registers().rip
            switch current.reason {
            case .watchpoint, .hardwareBreakpoint:
                let reason = current.reason
                current = DebugPosition(thread: try stops.keep(reason, at: stepped, current.takeThread(), debugger: self), reason: reason)
            default:
                if step < count - 1 && breakpoints.containsSoftware(pc) {
                    current = DebugPosition(thread: try stops.keep(.softwareBreakpoint(pc), at: stepped, current.takeThread(), debugger: self), reason: .stepped)
                }
            }
        }
        return current
    }

    /// The guest at the latest stop of `stops`, as the reverse-continue's result: its place,
    /// unless known, is found by stepping from `bracket` (the last anchor before it) when that
    /// is short, and for a watchpoint the result is the instant before the write.
    private func arrive(at stops: StopLog, searchingFrom bracket: Place) throws -> DebugPosition {
        let reason = stops.latestReason
        var place = stops.latestPlace
        if place == nil, let copy = try resume(atLatestOf: stops) {
            let stop = try instant(of: copy)
            copy.thread.process.killAndReap()
            place = try placeByStepping(to: stop, from: bracket, limit: Self.stepSearchLimit)
        }
        // The guest returned is the last one adopted: the replay's engine is its own.
        guard var hit = try resume(atLatestOf: stops) else {
            throw ReplayError.unreplayable(event: bracket.eventIndex, reason: "reverse execution lost the stop it found")
        }
        guard case .watchpoint = reason else {
            currentPlace = place
            hit.reason = reason
            return hit
        }
        // Backwards, the stop is before the write, on the instruction that made it.
        currentPlace = place
        let before = try reverseStep(hit)
        return DebugPosition(thread: before.takeThread(), reason: reason)
    }

    /// How many single steps a search for a stop's place may take before giving up.
    static let stepSearchLimit = 200_000

    /// The place of `stop` by single steps from `start`, if it is at most `limit` steps on.
    private func placeByStepping(to stop: ReplayInstant, from start: Place, limit: Int) throws -> Place? {
        var position = try reach(start)
        var place = start
        for _ in 0...limit {
            let found = try stop.matches(position.thread, progress: engine.progress, excluding: probes.mappedRanges)
            guard !found, engine.progress == start.eventIndex, position.reason != .endOfHistory else {
                position.thread.process.killAndReap()
                return found ? place : nil
            }
            position = try advance(position, step: true)
            place = place.next
            if place.steps % Self.checkpointInterval == 0 {
                try stopIfInterrupted()
                position = try checkpoint(position, at: place)
            }
        }
        position.thread.process.killAndReap()
        return nil
    }

    // MARK: Scanning from the start

    /// Where a scan from the start ends: at a place, or where the thread is in a state (the
    /// goal's, in the goal's stretch).
    enum ScanEnd {
        case place(Place)
        case state(ArrivalGoal)
    }

    /// The last user stop before the scan's `end`, found by running from the start of the
    /// recording with the debugger's breakpoints and watchpoints.
    /// Without a checkpoint (a fork copies one thread only), the latest stop is found again by
    /// counting the scan's stops: re-execution stops at the same points in the same order.
    private func lastStopByScanning(until end: ScanEnd) throws -> DebugPosition {
        var scan = try restart(plantingBreakpoints: true)
        let stretch: Int
        var goal: ArrivalGoal?
        var base: Place?
        switch end {
        case .place(let place):
            stretch = place.eventIndex
            base = Place(eventIndex: place.eventIndex, anchor: place.anchor)
            goal = place.anchor.map { ArrivalGoal(address: $0.address, interval: place.eventIndex, target: $0.arrival) }
        case .state(let sought):
            stretch = sought.interval
            goal = sought
        }
        if engine.progress >= stretch, goal == nil || goal?.state.map({ state in
            (try? state.verify(try scan.thread.registers(), scan.thread.memory)) ?? false
        }) == true {
            return DebugPosition(thread: scan.takeThread(), reason: .beginOfHistory)
        }
        if let goal { startPursuing(goal) } else { pausesAtProgress = stretch }
        let stops = StopLog()
        var ordinal = 0
        var reached = false
        while !reached {
            scan = try advance(scan, step: false)
            ordinal += 1
            switch scan.reason {
            case .arrived:
                reached = true
            case .softwareBreakpoint, .hardwareBreakpoint, .watchpoint:
                let reason = scan.reason
                let place = knownPlace(of: scan)
                scan = DebugPosition(thread: try stops.keep(reason, at: place, ordinal: ordinal, scan.takeThread(), debugger: self), reason: reason)
            case .endOfHistory where engine.progress == stretch:
                // The end of the recording is where the scan was to end.
                reached = true
            case .endOfHistory, .beginOfHistory:
                try finishScan(scan, goal: goal).thread.process.killAndReap()
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution could not find the current point again")
            case .interrupted:
                return try finishScan(scan, goal: goal)
            case .start, .stepped, .signal:
                break
            }
            // A stop at the pause itself (a watchpoint on what the event's call wrote) ends it too.
            if goal == nil && engine.progress >= stretch { reached = true }
        }
        scan = try finishScan(scan, goal: goal)
        if case .place(let place) = end, let base { scan = try step(scan, from: base, place.steps, logging: stops) }
        scan.thread.process.killAndReap()
        var hit: DebugPosition
        if let resumed = try resume(atLatestOf: stops) {
            hit = resumed
        } else if let place = stops.latestPlace {
            hit = try reach(place)
            plantUserBreakpoints(in: hit.thread.memory)
        } else if let ordinal = stops.latestOrdinal {
            hit = try rescan(toStop: ordinal)
        } else {
            return try backAtTheStart()
        }
        currentPlace = stops.latestPlace
        guard case .watchpoint = stops.latestReason else { return DebugPosition(thread: hit.takeThread(), reason: stops.latestReason) }
        // Backwards, the stop is before the write, on the instruction that made it.
        let before = try reverseStep(hit)
        return DebugPosition(thread: before.takeThread(), reason: stops.latestReason)
    }

    private func finishScan(_ position: consuming DebugPosition, goal: ArrivalGoal?) throws -> DebugPosition {
        pausesAtProgress = nil
        guard let goal else { return position }
        return try stopPursuing(goal, at: position)
    }

    /// A new guest run from the start to the `ordinal`-th stop of a scan that had the same
    /// breakpoints.
    private func rescan(toStop ordinal: Int) throws -> DebugPosition {
        var position = try restart(plantingBreakpoints: true)
        var stops = 0
        while stops < ordinal {
            position = try advance(position, step: false)
            stops += 1
        }
        return position
    }
}

/// The latest user stop of a search: its reason, its place when known, the arrival at the
/// search's anchor before it, or its ordinal among a scan's stops; and a way back to it: a
/// checkpoint at it or at an earlier stop (when the guest can be forked: one thread), and how
/// many stops lie between. Checkpoints are taken at most every `spacing`, so a search through
/// thousands of stops does not fork thousands of times.
final class StopLog {
    static let spacing: Duration = .milliseconds(100)

    private(set) var checkpoint: Checkpoint?
    private var checkpointTaken = ContinuousClock.now
    /// Stops after the checkpoint's, up to the latest.
    private(set) var stopsAfterCheckpoint = 0
    private(set) var latestReason = DebugStop.start
    private(set) var latestPlace: Place?
    private(set) var latestArrival: UInt64 = 0
    private(set) var latestOrdinal: Int?

    var isEmpty: Bool { latestOrdinal == nil && checkpoint == nil && latestPlace == nil }

    /// Keeps the stop of `thread` as the latest and returns the thread.
    func keep(
        _ reason: DebugStop, at place: Place? = nil, arrival: UInt64 = 0, ordinal: Int = 0,
        _ thread: consuming StoppedThread, debugger: ReplayDebugger
    ) throws -> StoppedThread {
        latestReason = reason
        latestPlace = place
        latestArrival = arrival
        latestOrdinal = ordinal
        guard debugger.engine.threads.count == 1, try !thread.hasQueuedSignals() else {
            checkpoint = nil
            return thread
        }
        if checkpoint != nil, ContinuousClock.now - checkpointTaken < Self.spacing {
            stopsAfterCheckpoint += 1
            return thread
        }
        checkpointTaken = .now
        stopsAfterCheckpoint = 0
        return try debugger.checkpoint(thread, into: &checkpoint)
    }
}

extension ReplayDebugger {
    /// A new guest at the latest stop of `log`, from its checkpoint, with the user's breakpoints.
    func resume(atLatestOf log: StopLog) throws -> DebugPosition? {
        guard let checkpoint = log.checkpoint else { return nil }
        var position = try resumeCopy(of: checkpoint, plantingBreakpoints: true)
        position.reason = log.latestReason
        var passed = 0
        while passed < log.stopsAfterCheckpoint {
            position = try advance(position, step: false)
            switch position.reason {
            case .softwareBreakpoint, .hardwareBreakpoint, .watchpoint: passed += 1
            // Recorded signals stop a replay under a debugger too; they are not the log's stops.
            case .signal, .stepped, .arrived, .start: continue
            case .interrupted, .endOfHistory, .beginOfHistory:
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution lost the stop it found")
            }
        }
        return position
    }
}
