import Glibc
import Guest
import Trace

/// Places: reaching one by re-execution, finding the place of an instant the debugger stopped
/// at, and the place one instruction earlier.
extension ReplayDebugger {
    static let checkpointInterval = 512

    /// A guest at `place`, from the nearest checkpoint before it (or the start), with nothing
    /// planted; the pause after each event passed, the anchor, the arrivals at the anchor's
    /// address listed in `checkpointsAt` and every `checkpointInterval` steps are checkpointed
    /// on the way.
    func reach(_ place: Place, checkpointsAt arrivals: [UInt64] = []) throws -> DebugPosition {
        var position: DebugPosition
        var current: Place
        if let checkpoint = checkpoints.latest(atOrBefore: place), let checkpointPlace = checkpoint.place {
            position = try resumeCopy(of: checkpoint, plantingBreakpoints: false)
            current = checkpointPlace
        } else {
            position = try restart(plantingBreakpoints: false)
            current = Place(eventIndex: engine.progress)
        }
        if current.eventIndex < place.eventIndex {
            position = try runUntilProgress(place.eventIndex, from: position)
            current = Place(eventIndex: place.eventIndex)
            position = try checkpoint(position, at: current)
        }
        if let anchor = place.anchor, current.anchor != anchor {
            let along = current.anchor.flatMap { $0.address == anchor.address ? $0 : nil }
            let goal = ArrivalGoal(
                address: anchor.address, interval: place.eventIndex, from: along?.arrival ?? 0,
                startsAtCountedArrival: along != nil && current.steps == 0, target: anchor.arrival)
            goal.checkpointsAt = arrivals
            position = try pursue(goal, from: position)
            guard goal.found == anchor.arrival else {
                position.thread.process.killAndReap()
                throw ReplayError.unreplayable(event: place.eventIndex, reason: "reverse execution could not reach \(place) again")
            }
            current = Place(eventIndex: place.eventIndex, anchor: anchor)
            position = try checkpoint(position, at: current)
        }
        while current.steps < place.steps {
            position = try advance(position, step: true)
            current = current.next
            if current.steps % Self.checkpointInterval == 0 {
                try stopIfInterrupted()
                position = try checkpoint(position, at: current)
            }
        }
        breakpointArrivals.resume(at: place.eventIndex, fromStretchStart: place.anchor == nil && place.steps == 0)
        return position
    }

    /// The place of `target`, an instant the debugger stopped at after a continue: a probe at
    /// its instruction counts the arrivals there until the state is the target's.
    /// `reference` is the guest still stopped at the target, whose memory the probe compares.
    func locate(_ target: ReplayInstant, reference: borrowing StoppedThread) throws -> Place {
        // The reference's process lives as long as its replay: a process's parent takes its
        // children with it when it goes.
        let referenceReplay = engine
        defer { withExtendedLifetime(referenceReplay) {} }
        var position = try reach(Place(eventIndex: target.progress))
        if try target.matches(position.thread, progress: engine.progress, excluding: probes.mappedRanges) {
            position.thread.process.killAndReap()
            return Place(eventIndex: target.progress)
        }
        let state = try target.sought(reference: reference) { [unowned self] in self.probes.mappedRanges }
        let goal = ArrivalGoal(address: target.address, interval: target.progress, state: state)
        position = try pursue(goal, from: position)
        position.thread.process.killAndReap()
        guard let arrival = goal.found else {
            if position.reason == .interrupted { throw ReverseExecutionInterrupted() }
            throw ReplayError.unreplayable(event: target.eventIndex, reason: "reverse execution could not find the current point again")
        }
        return Place(eventIndex: target.progress, anchor: Anchor(address: target.address, arrival: arrival))
    }

    /// The same instant as `place`, named in the stretch that ran to it when `place` is the
    /// pause after an event that left the thread where it was: an async point is an arrival at
    /// its instruction, a fault stops the thread on an arrival at the faulting instruction
    /// (before it runs), and a signal delivered at an async point or a syscall's return leaves
    /// the thread where the event before it did.
    func runningPlace(of place: Place) throws -> Place {
        guard place.anchor == nil, place.steps == 0, place.eventIndex > historyStart?.eventIndex ?? 0,
              let summary = try events.summary(ofProgress: place.eventIndex, process: recordedPID)
        else { return place }
        switch summary.kind {
        case .asyncPoint:
            let anchor = try asyncPointArrivals[place.eventIndex] ?? arrival(ofAsyncPoint: place.eventIndex)
            return Place(eventIndex: place.eventIndex - 1, anchor: anchor)
        case .samePlace:
            return try runningPlace(of: Place(eventIndex: place.eventIndex - 1))
        case .fault(let address):
            let stretch = place.eventIndex - 1
            let goal = ArrivalGoal(address: address, interval: stretch)
            let counted = try pursue(goal, from: try reach(Place(eventIndex: stretch)))
            counted.thread.process.killAndReap()
            return Place(eventIndex: stretch, anchor: Anchor(address: address, arrival: goal.count))
        case .instruction, .completion, .boundary:
            return place
        }
    }

    /// The place one instruction before `place`, or nil at the start of history.
    func previous(of place: Place) throws -> Place? {
        if place.steps > 0 { return Place(eventIndex: place.eventIndex, anchor: place.anchor, steps: place.steps - 1) }
        if let anchor = place.anchor {
            // Back to the arrival before (or the stretch's start), then one pass forward.
            let start = anchor.arrival > 1
                ? Place(eventIndex: place.eventIndex, anchor: Anchor(address: anchor.address, arrival: anchor.arrival - 1))
                : Place(eventIndex: place.eventIndex)
            let steps = try steps(from: start, toNextArrivalAt: anchor.address)
            guard steps > 0 else { return try previous(of: start) }
            return Place(eventIndex: start.eventIndex, anchor: start.anchor, steps: steps - 1)
        }
        return try previous(ofEvent: place.eventIndex)
    }

    /// The place one instruction before the pause after event `index`.
    private func previous(ofEvent index: Int) throws -> Place? {
        guard index > historyStart?.eventIndex ?? 0,
              let summary = try events.summary(ofProgress: index, process: recordedPID)
        else { return nil }
        let stretch = index - 1
        switch summary.kind {
        case .instruction(let address):
            // That instruction ran once in the stretch before: its run was the event.
            return Place(eventIndex: stretch, anchor: Anchor(address: address, arrival: 1))
        case .completion:
            return try previous(of: Place(eventIndex: stretch))
        case .samePlace, .asyncPoint, .fault:
            let same = try runningPlace(of: Place(eventIndex: index))
            return same == Place(eventIndex: index) ? nil : try previous(of: same)
        case .boundary:
            let steps = try stepsToNextEvent(from: stretch)
            return Place(eventIndex: stretch, steps: steps - 1)
        }
    }

    /// Which arrival at its instruction async point `index` was, found by running to it.
    private func arrival(ofAsyncPoint index: Int) throws -> Anchor {
        guard case .asyncPoint(let point)? = try events.event(ofProgress: index, process: recordedPID) else {
            throw ReplayError.unreplayable(event: index, reason: "expected an async point")
        }
        let address = point.registers.rip
        let goal = ArrivalGoal(address: address, interval: index - 1, state: SoughtState(asyncPoint: point))
        let reached = try pursue(goal, from: try reach(Place(eventIndex: index - 1)))
        reached.thread.process.killAndReap()
        guard let found = goal.found else {
            throw ReplayError.unreplayable(event: index, reason: "reverse execution could not find async point \(index) again")
        }
        let anchor = Anchor(address: address, arrival: found)
        asyncPointArrivals[index] = anchor
        return anchor
    }

    /// How many single steps from `start` until execution next arrives at `address` (0 if it
    /// is there at the stretch's start, before any step), checkpointing on the way.
    private func steps(from start: Place, toNextArrivalAt address: UInt64) throws -> Int {
        var position = try reach(start)
        var place = start
        if start.anchor == nil, try position.thread.registers().rip == address {
            position.thread.process.killAndReap()
            return 0
        }
        repeat {
            guard position.reason != .endOfHistory, engine.progress == start.eventIndex else {
                position.thread.process.killAndReap()
                throw ReplayError.unreplayable(event: start.eventIndex, reason: "reverse execution lost its place stepping from \(start)")
            }
            position = try advance(position, step: true)
            place = place.next
            if place.steps % Self.checkpointInterval == 0 {
                try stopIfInterrupted()
                position = try checkpoint(position, at: place)
            }
        } while try position.thread.registers().rip != address
        position.thread.process.killAndReap()
        return place.steps
    }

    /// How many single steps it takes from the pause after event `index` to the pause after
    /// the next event.
    private func stepsToNextEvent(from index: Int) throws -> Int {
        var position = try reach(Place(eventIndex: index))
        var place = Place(eventIndex: index)
        while engine.progress == index {
            guard position.reason != .endOfHistory else {
                throw ReplayError.unreplayable(event: index, reason: "reverse execution went past the end of the recording")
            }
            position = try advance(position, step: true)
            place = place.next
            if engine.progress == index && place.steps % Self.checkpointInterval == 0 {
                try stopIfInterrupted()
                position = try checkpoint(position, at: place)
            }
        }
        position.thread.process.killAndReap()
        return place.steps
    }

    /// Single-stepping a long way is slow; Ctrl-C abandons it.
    func stopIfInterrupted() throws {
        if interruptRequested() { throw ReverseExecutionInterrupted() }
    }

    // MARK: Checkpoints

    /// Keeps a copy of the guest at `place` (unless one exists) and returns the guest.
    func checkpoint(_ position: consuming DebugPosition, at place: Place) throws -> DebugPosition {
        // fork copies only the calling thread, so checkpoints are taken while the program has
        // one, and not while the kernel holds a signal for it (the copy would not have it).
        guard !checkpoints.contains(place), position.reason != .endOfHistory, engine.threads.count == 1,
              try !position.thread.hasQueuedSignals()
        else { return position }
        let reason = position.reason
        var kept: Checkpoint?
        let thread = try checkpoint(position.takeThread(), into: &kept, place: place)
        if let kept { checkpoints.add(kept, at: place) }
        return DebugPosition(thread: thread, reason: reason)
    }

    /// Forks the guest into a stopped copy held by `slot` (replacing what it held), with
    /// planted breakpoints lifted and probes disarmed so the copy holds the program's own code.
    func checkpoint(_ thread: consuming StoppedThread, into slot: inout Checkpoint?, place: Place? = nil) throws -> StoppedThread {
        let planted = Array(breakpoints.planted.originals.keys)
        for address in planted { try breakpoints.planted.lift(address, in: thread.memory) }
        try probes.disarmAll(in: thread)
        let forked = try GuestFork.fork(thread, pendingSignal: pendingSignal)
        for address in planted { try breakpoints.planted.replant(address, in: forked.original.memory) }
        slot = Checkpoint(eventIndex: engine.cursor.index, place: place, pendingSignal: pendingSignal, thread: forked.copy)
        return forked.original
    }

    /// A new guest forked from a checkpoint, which stays as it is.
    func resumeCopy(of checkpoint: Checkpoint, plantingBreakpoints: Bool) throws -> DebugPosition {
        guard let stored = checkpoint.thread.take() else {
            throw ReplayError.unreplayable(event: checkpoint.eventIndex, reason: "a checkpoint was lost")
        }
        let forked = try GuestFork.fork(stored, pendingSignal: checkpoint.pendingSignal)
        checkpoint.thread = consume forked.original
        let engine = try ReplayEngine(trace: trace)
        try engine.skipEvents(through: checkpoint.eventIndex)
        engine.adoptSingleThread(forked.copy)
        engine.focusPID = focus ?? engine.recordedPID
        adopt(forked.copy, engine: engine, pendingSignal: checkpoint.pendingSignal, plantingBreakpoints: plantingBreakpoints)
        let place = checkpoint.place
        breakpointArrivals.resume(at: engine.progress, fromStretchStart: place?.anchor == nil && place?.steps == 0)
        return DebugPosition(thread: forked.copy, reason: .stepped)
    }
}

/// The user interrupted a reverse operation before it found its point.
public struct ReverseExecutionInterrupted: Error, CustomStringConvertible {
    public var description: String {
        "reverse execution interrupted; the replay is back at the start of the recording"
    }
}
