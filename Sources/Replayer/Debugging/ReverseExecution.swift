import Guest

/// Reverse execution by re-execution from checkpoints.
///
/// rrdbg has no branch counter to say "go back N instructions". Instead it names points by
/// places (an event, then a number of single steps) or, where it arrived by `continue`, by
/// state (`ReplayInstant`), and reaches them again by re-executing, which is exact because
/// replay is deterministic:
/// - reverse-continue runs forward from the start to the current instant with the debugger's
///   breakpoints and watchpoints armed, keeps a checkpoint of the latest stop before it, and
///   resumes from that checkpoint;
/// - reverse-stepi finds the current place (by single-stepping from the last event, once) and
///   re-creates the place one step earlier from the nearest checkpoint.
/// Checkpoints are forks of the stopped guest, taken at events and every
/// `checkpointInterval` single steps, so a run of reverse-stepis costs at most that many
/// steps each. The current guest is replaced by the re-executed one, so forward execution
/// continues from any point reached backwards.
extension ReplayDebugger {
    static let checkpointInterval = 512

    public func reverseContinue(_ position: consuming DebugPosition) throws -> DebugPosition {
        let outermost = !reexecuting
        reexecuting = true
        defer { if outermost { reexecuting = false } }
        let target = try ReplayInstant(position.thread, eventIndex: engine.cursor.index, progress: engine.progress)
        position.thread.process.killAndReap()
        var scan = try restart(plantingBreakpoints: true)
        let marker = !userBreakpoints.contains(target.address)
        if marker { plantMarker(target.address, in: scan.thread.memory) }
        var latest: Checkpoint?
        var latestReason = DebugStop.start
        // Without a checkpoint (fork copies one thread only), the latest stop is found again by
        // counting the scan's stops: re-execution stops at the same points in the same order.
        var latestOrdinal: Int?
        var ordinal = 0
        var reached = try target.matches(scan.thread, progress: engine.progress)
        while !reached {
            scan = try advance(scan, step: false)
            ordinal += 1
            let matches = try target.matches(scan.thread, progress: engine.progress)
            let userStop: Bool
            switch scan.reason {
            case .softwareBreakpoint(let address): userStop = !(marker && address == target.address)
            case .hardwareBreakpoint: userStop = true
            // A watchpoint reports a write after it happened: going back from the instant
            // right after a write, that write comes first.
            case .watchpoint: userStop = true
            default: userStop = false
            }
            if userStop && (!matches || scan.reasonIsWatchpoint) {
                latestReason = scan.reason
                latestOrdinal = ordinal
                if engine.threads.count == 1 {
                    scan = DebugPosition(thread: try checkpoint(scan.takeThread(), into: &latest), reason: latestReason)
                } else {
                    latest = nil
                }
            }
            if matches {
                reached = true
            } else if scan.reason == .endOfHistory {
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution could not find the current point again")
            } else if scan.reason == .interrupted {
                return scan
            }
        }
        scan.thread.process.killAndReap()
        guard let latestOrdinal else {
            let start = try restart(plantingBreakpoints: true)
            return DebugPosition(thread: start.takeThread(), reason: .beginOfHistory)
        }
        let hit = try latest.map { try resumeCopy(of: $0, plantingBreakpoints: true) }
            ?? rescan(toStop: latestOrdinal, marker: marker ? target.address : nil)
        currentPlace = nil
        guard case .watchpoint = latestReason else { return DebugPosition(thread: hit.takeThread(), reason: latestReason) }
        // Backwards, the stop is before the write, on the instruction that made it.
        let before = try reverseStep(hit)
        return DebugPosition(thread: before.takeThread(), reason: latestReason)
    }

    /// A new guest run from the start to the `ordinal`-th stop of a scan that had the same
    /// breakpoints, and `marker` planted.
    private func rescan(toStop ordinal: Int, marker: UInt64?) throws -> DebugPosition {
        var position = try restart(plantingBreakpoints: true)
        if let marker { plantMarker(marker, in: position.thread.memory) }
        for _ in 0..<ordinal {
            position = try advance(position, step: false)
        }
        return position
    }

    public func reverseStep(_ position: consuming DebugPosition) throws -> DebugPosition {
        let outermost = !reexecuting
        reexecuting = true
        defer { if outermost { reexecuting = false } }
        let place: Place
        if let known = currentPlace {
            position.thread.process.killAndReap()
            place = known
        } else {
            let target = try ReplayInstant(position.thread, eventIndex: engine.cursor.index, progress: engine.progress)
            position.thread.process.killAndReap()
            place = try locate(target)
        }
        let previous: Place
        if place.steps > 0 {
            previous = Place(eventIndex: place.eventIndex, steps: place.steps - 1)
        } else if place.eventIndex > historyStart?.eventIndex ?? 0 {
            // Right after an event: the previous instruction is the one that caused it.
            let interval = try stepsToNextEvent(from: place.eventIndex - 1)
            previous = Place(eventIndex: place.eventIndex - 1, steps: interval - 1)
        } else {
            let start = try restart(plantingBreakpoints: true)
            return DebugPosition(thread: start.takeThread(), reason: .beginOfHistory)
        }
        var result = try reach(previous)
        plantUserBreakpoints(in: result.thread.memory)
        currentPlace = previous
        result.reason = .stepped
        return result
    }

    // MARK: Places

    /// The place of an instant reached some other way than by places: single steps from the
    /// last event before it, counted once (and checkpointed on the way).
    private func locate(_ target: ReplayInstant) throws -> Place {
        var position = try reach(Place(eventIndex: target.progress, steps: 0))
        var place = Place(eventIndex: target.progress, steps: 0)
        while try !target.matches(position.thread, progress: engine.progress) {
            guard engine.progress == target.progress, position.reason != .endOfHistory else {
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution could not find the current point again")
            }
            position = try advance(position, step: true)
            place = place.next
            if place.steps % Self.checkpointInterval == 0 {
                try stopIfInterrupted()
                position = try checkpoint(position, at: place)
            }
        }
        position.thread.process.killAndReap()
        return place
    }

    /// How many single steps it takes from the pause after event `index` to the pause after
    /// the next event.
    private func stepsToNextEvent(from index: Int) throws -> Int {
        var position = try reach(Place(eventIndex: index, steps: 0))
        var place = Place(eventIndex: index, steps: 0)
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

    /// A guest at `place`, from the nearest checkpoint before it (or the start), with nothing
    /// planted; the pause after each event passed and every `checkpointInterval` steps are
    /// checkpointed on the way.
    private func reach(_ place: Place) throws -> DebugPosition {
        var position: DebugPosition
        var current: Place
        if let checkpoint = checkpoints.latest(atOrBefore: place), let checkpointPlace = checkpoint.place {
            position = try resumeCopy(of: checkpoint, plantingBreakpoints: false)
            current = checkpointPlace
        } else {
            position = try restart(plantingBreakpoints: false)
            current = Place(eventIndex: engine.progress, steps: 0)
        }
        if current.eventIndex < place.eventIndex {
            position = try runUntilProgress(place.eventIndex, from: position)
            current = Place(eventIndex: place.eventIndex, steps: 0)
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
        return position
    }

    /// Single-stepping a long way is slow; Ctrl-C abandons it.
    private func stopIfInterrupted() throws {
        if interruptRequested() { throw ReverseExecutionInterrupted() }
    }

    // MARK: Checkpoints

    /// Keeps a copy of the guest at `place` (unless one exists) and returns the guest.
    private func checkpoint(_ position: consuming DebugPosition, at place: Place) throws -> DebugPosition {
        // fork copies only the calling thread, so checkpoints are taken while the program has one.
        guard !checkpoints.contains(place), position.reason != .endOfHistory, engine.threads.count == 1 else { return position }
        let reason = position.reason
        var kept: Checkpoint?
        let thread = try checkpoint(position.takeThread(), into: &kept, place: place)
        if let kept { checkpoints.add(kept, at: place) }
        return DebugPosition(thread: thread, reason: reason)
    }

    /// Forks the guest into a stopped copy held by `slot` (replacing what it held), with
    /// planted breakpoints lifted so the copy holds the program's own code.
    private func checkpoint(_ thread: consuming StoppedThread, into slot: inout Checkpoint?, place: Place? = nil) throws -> StoppedThread {
        let planted = Array(breakpoints.originals.keys)
        for address in planted { try breakpoints.lift(address, in: thread.memory) }
        let forked = try GuestFork.fork(thread)
        for address in planted { try breakpoints.replant(address, in: forked.original.memory) }
        slot = Checkpoint(eventIndex: engine.cursor.index, place: place, pendingSignal: pendingSignal, thread: forked.copy)
        return forked.original
    }

    /// A new guest forked from a checkpoint, which stays as it is.
    private func resumeCopy(of checkpoint: Checkpoint, plantingBreakpoints: Bool) throws -> DebugPosition {
        guard let stored = checkpoint.thread.take() else {
            throw ReplayError.unreplayable(event: checkpoint.eventIndex, reason: "a checkpoint was lost")
        }
        let forked = try GuestFork.fork(stored)
        checkpoint.thread = consume forked.original
        let engine = try ReplayEngine(trace: trace)
        try engine.skipEvents(through: checkpoint.eventIndex)
        engine.adoptSingleThread(forked.copy)
        engine.focusPID = focus ?? engine.recordedPID
        adopt(forked.copy, engine: engine, pendingSignal: checkpoint.pendingSignal, plantingBreakpoints: plantingBreakpoints)
        return DebugPosition(thread: forked.copy, reason: .stepped)
    }
}

/// The user interrupted a reverse operation before it found its point.
public struct ReverseExecutionInterrupted: Error, CustomStringConvertible {
    public var description: String {
        "reverse execution interrupted; the replay is back at the start of the recording"
    }
}

private extension DebugPosition {
    var reasonIsWatchpoint: Bool {
        if case .watchpoint = reason { return true }
        return false
    }
}
