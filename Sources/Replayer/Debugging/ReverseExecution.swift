import Guest

/// Reverse execution by re-execution.
///
/// rrdbg has no branch counter to say "go back N instructions", so going back means running
/// the replay again from its start, which is exact because replay is deterministic, and
/// recognising the point to stop at by its state (`ReplayInstant`):
/// - reverse-continue runs forward to the current instant with the debugger's breakpoints and
///   watchpoints armed, counts the stops on the way, and runs again to the last of them;
/// - reverse-stepi single-steps from the last event before the current instant (where the
///   replay can pause exactly), counts the steps, and runs again one step short.
/// The current guest is replaced by the re-executed one, so forward execution continues from any
/// point reached backwards. The cost grows with the distance from the start (re-execution) and
/// from the last event (single steps); checkpoints by fork are the planned remedy.
extension ReplayDebugger {
    public func reverseContinue(_ position: consuming DebugPosition) throws -> DebugPosition {
        let target = try ReplayInstant(position.thread, eventIndex: engine.cursor.index)
        position.thread.process.killAndReap()
        var first = try stops(before: target, upTo: nil)
        guard first.count > 0 else {
            first.position.thread.process.killAndReap()
            let start = try restart(plantingBreakpoints: true)
            return DebugPosition(thread: start.takeThread(), reason: .beginOfHistory)
        }
        first.position.thread.process.killAndReap()
        let last = try stops(before: target, upTo: first.count)
        if case .watchpoint = last.position.reason {
            // x86 reports a write after it happened; backwards, the stop is before the write.
            let reason = last.position.reason
            let before = try reverseStep(last.position)
            return DebugPosition(thread: before.takeThread(), reason: reason)
        }
        return last.position
    }

    public func reverseStep(_ position: consuming DebugPosition) throws -> DebugPosition {
        let target = try ReplayInstant(position.thread, eventIndex: engine.cursor.index)
        position.thread.process.killAndReap()
        var interval = target.eventIndex
        while true {
            let walk = try stepsFromAnchor(interval, to: target)
            walk.position.thread.process.killAndReap()
            if walk.count > 0 {
                var previous = try anchor(after: interval)
                for _ in 1..<walk.count {
                    previous = try resume(previous, step: true)
                }
                plantUserBreakpoints(in: previous.thread.memory)
                previous.reason = .stepped
                return previous
            }
            // The current instant is right after an event: the previous instruction is the one
            // that caused it, in the interval before.
            guard interval > 0 else {
                let start = try restart(plantingBreakpoints: true)
                return DebugPosition(thread: start.takeThread(), reason: .beginOfHistory)
            }
            interval -= 1
        }
    }

    /// Runs from the start with the debugger's breakpoints until `target`, counting the stops
    /// the debugger would see; with `limit`, stops at the limit-th one instead.
    private func stops(before target: ReplayInstant, upTo limit: Int?) throws -> Reached {
        var position = try restart(plantingBreakpoints: true)
        let marker = !userBreakpoints.contains(target.address)
        if marker { plantMarker(target.address, in: position.thread.memory) }
        var count = 0
        var reached = try limit == nil && target.matches(position.thread, eventIndex: engine.cursor.index)
        while !reached {
            position = try resume(position, step: false)
            let userStop: Bool
            switch position.reason {
            case .softwareBreakpoint(let address): userStop = !(marker && address == target.address)
            case .hardwareBreakpoint, .watchpoint: userStop = true
            default: userStop = false
            }
            if limit == nil, try target.matches(position.thread, eventIndex: engine.cursor.index) {
                // A watchpoint reports the write after it happened: going back from here, that
                // write comes first.
                if case .watchpoint = position.reason { count += 1 }
                reached = true
            } else if position.reason == .endOfHistory {
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution could not find the current point again")
            } else if position.reason == .interrupted {
                break
            } else if userStop {
                count += 1
                if count == limit { break }
            }
        }
        if marker { try removeMarker(target.address, in: position.thread.memory) }
        return Reached(position: position, count: count)
    }

    /// The guest right after event `index` was applied, re-executed from the start with nothing
    /// planted, so that single steps from it see the program's own code.
    private func anchor(after index: Int) throws -> DebugPosition {
        let start = try restart(plantingBreakpoints: false)
        return index == 0 ? start : try runUntilApplied(index, from: start)
    }

    /// Counts single steps from the anchor of `interval` to `target`.
    private func stepsFromAnchor(_ interval: Int, to target: ReplayInstant) throws -> Reached {
        var position = try anchor(after: interval)
        var steps = 0
        while try !target.matches(position.thread, eventIndex: engine.cursor.index) {
            guard engine.cursor.index <= target.eventIndex, position.reason != .endOfHistory else {
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "reverse execution could not find the current point again")
            }
            position = try resume(position, step: true)
            steps += 1
        }
        return Reached(position: position, count: steps)
    }
}

/// A re-executed guest, and how many stops or steps it took to get there.
struct Reached: ~Copyable {
    var position: DebugPosition
    var count: Int
}
