import Glibc
import Guest
import Trace

/// Threads in replay: handing the CPU to the thread of the next event, thread creation and
/// exit, announced syscall entries and async points.
extension ReplayEngine {
    /// True when, after the current event of thread `tid`, that thread must not simply run on:
    /// the next event belongs to another thread, puts this one at a recorded state directly,
    /// or there is none (a recording that ended while the program ran).
    func nextEventNeedsHandoff(from tid: Int32) throws -> Bool {
        guard let next = try cursor.peek() else { return header.interruptedBy != nil }
        switch next {
        case .exit: return false
        case .asyncPoint: return true
        default: return next.tid != tid
        }
    }

    /// Keeps a stopped thread until its next event.
    func park(_ stopped: consuming StoppedThread, signal: Int32) {
        guard let recorded = threads.recordedTid(ofReal: stopped.tid), let thread = threads[recorded: recorded] else {
            stopped.process.killAndReap()
            return
        }
        thread.pendingSignal = signal
        thread.parked = consume stopped
    }

    /// Runs the thread whose event is next, `mode` being how (continue or one step), after
    /// applying the events that need no running: async points, and syscalls whose thread
    /// already waits at their entry.
    func dispatch(_ mode: ResumeMode) throws -> Applied {
        while true {
            guard let event = try cursor.peek() else { return try endOfTrace() }
            if case .exit(let recorded) = event {
                try checkEnd(recorded)
                _ = try cursor.next()
                continue
            }
            guard let thread = threads[recorded: event.tid], let stopped = thread.parked.take() else {
                throw ReplayError.unreplayable(
                    event: cursor.index + 1, reason: "the trace names thread \(event.tid), which is not waiting in the replay")
            }
            let watched = focusPID == nil || thread.pid == focusPID
            switch event {
            case .asyncPoint where observer?.executesAsyncPoints != true || !watched:
                thread.parked = consume stopped
                _ = try applyNextAsyncPoint()
                if pausesReplayHere, let paused = thread.parked.take() { return .paused(paused, pendingSignal: 0) }
                continue
            case .syscall where thread.atAnnouncedEntry:
                thread.atAnnouncedEntry = false
                return try apply(stopped, then: mode == .singleStep && watched ? .pause : .resume(watched ? mode : .cont))
            default:
                if case .signal(let recorded) = event, recorded.origin == .asynchronous {
                    // Its async point put the thread where the signal landed; it arrives again
                    // before the thread runs a single instruction.
                    try stopped.process.signalThread(stopped.tid, recorded.signal)
                }
                if pausesReplayHere && watched {
                    // The event that got here could not pause (a thread's exit): the thread
                    // that runs next waits instead, before it runs.
                    let signal = thread.pendingSignal
                    thread.pendingSignal = 0
                    return .paused(stopped, pendingSignal: signal)
                }
                var ready = consume stopped
                if let observer {
                    let assigned = observer.debugRegisters
                    if thread.debugRegistersVersion != assigned.version {
                        try ready.setDebugRegisters(watched ? assigned.slots : DebugRegisterAssignment.none)
                        thread.debugRegistersVersion = assigned.version
                    }
                    // An async point is reached by running the thread to it, so that breakpoints
                    // and watchpoints on the way work; the debugger recognises the point by its
                    // state.
                    if watched { ready = try observer.threadWillRun(ready, toward: event, mode: mode) }
                }
                let signal = thread.pendingSignal
                thread.pendingSignal = 0
                return .running(try ready.resume(watched ? mode : .cont, signal: signal))
            }
        }
    }

    /// Checks that a process ended in replay as its `exit` event says it did in the recording.
    private func checkEnd(_ recorded: ExitEvent) throws {
        guard let actual = endedProcesses[recorded.tid] else {
            throw ReplayError.diverged(
                event: cursor.index + 1, what: "exit", expected: "process \(recorded.tid) to end (\(recorded.status))",
                got: "it is still running")
        }
        let expected: GuestExit
        switch recorded.status {
        case .exited(let code): expected = .exited(code)
        case .killed(let signal, _): expected = .killed(signal: signal, coreDumped: false)
        }
        var observed = actual
        if case .killed(let signal, _) = actual { observed = .killed(signal: signal, coreDumped: false) }
        guard observed == expected else {
            throw ReplayError.diverged(event: cursor.index + 1, what: "exit", expected: "\(recorded.status)", got: "\(actual)")
        }
    }

    /// Whether the thread with real id `tid` belongs to the process a debugger looks at.
    func isWatched(realTid tid: pid_t) -> Bool {
        guard let focusPID else { return true }
        return threads.recordedTid(ofReal: tid).flatMap { threads[recorded: $0]?.pid } == focusPID
    }

    /// The next event, when it is an async point of the thread whose real id is `tid`.
    func pendingAsyncPoint(ofReal tid: pid_t) throws -> AsyncPointEvent? {
        guard case .asyncPoint(let point)? = try cursor.peek(), threads[recorded: point.tid]?.realTid == tid else { return nil }
        return point
    }

    /// Consumes the next event, an async point that thread `thread` reached by running, and
    /// gives it the recorded extended state (equal unless the vector registers were not part of
    /// what identified the point).
    func completeAsyncPoint(_ thread: borrowing StoppedThread) throws {
        guard case .asyncPoint(let point)? = try cursor.next() else {
            throw ReplayError.unreplayable(event: cursor.index, reason: "expected an async point")
        }
        try thread.setExtendedState(point.extendedState)
    }

    /// Applies the next event if it is an async point, which puts its parked thread at the
    /// recorded state without running it; false when the next event is something else.
    func applyNextAsyncPoint() throws -> Bool {
        guard case .asyncPoint(let point)? = try cursor.peek(), let thread = threads[recorded: point.tid],
              let stopped = thread.parked.take()
        else { return false }
        _ = try cursor.next()
        thread.parked = try applyAsyncPoint(point, to: stopped, of: thread)
        return true
    }

    /// All events are applied and the recording ended with the program running: the threads
    /// stay where the recording left them.
    private func endOfTrace() throws -> Applied {
        if threads.count == 0, let main = endedProcesses[recordedPID] { return .ended(main) }
        guard header.interruptedBy != nil else {
            throw ReplayError.incomplete(eventsReplayed: cursor.index + 1, truncated: cursor.isTruncated, endReason: header.endReason)
        }
        let last = try lastEventThread()
        guard let stopped = last.parked.take() else {
            throw ReplayError.unreplayable(event: cursor.index, reason: "no thread is waiting at the end of the trace")
        }
        return .endOfTrace(stopped)
    }

    /// The thread that had the last event, or the main thread.
    private func lastEventThread() throws -> ReplayThread {
        if let tid = cursor.lastTid, let thread = threads[recorded: tid], thread.parked != nil { return thread }
        if let leader = threads[recorded: threads.leader], leader.parked != nil { return leader }
        guard let any = threads.all.first(where: { $0.parked != nil }) else {
            throw ReplayError.unreplayable(event: cursor.index, reason: "no thread is waiting at the end of the trace")
        }
        return any
    }

    /// The thread stopped at the entry of a syscall that blocked in the recording: it waits
    /// there, at the seccomp stop, until the syscall's result comes up in the trace.
    func reachAnnouncedEntry(
        _ stopped: consuming StoppedThread, _ entry: SyscallEntryEvent, index: Int, then: Continuation
    ) throws -> Applied {
        let what = EventDescription.kind(of: .syscallEntered(entry))
        try RegisterCheck.require(try stopped.registers(), equal: entry.registers, event: index, what: what)
        guard let thread = threads[recorded: entry.tid] else {
            throw ReplayError.unreplayable(event: index, reason: "thread \(entry.tid) is unknown")
        }
        thread.atAnnouncedEntry = true
        switch then {
        case .resume(let mode):
            park(stopped, signal: 0)
            return try dispatch(mode)
        case .pause:
            return .paused(stopped, pendingSignal: 0)
        }
    }

    /// Puts a thread at the state the recording interrupted it in: memory, vector registers and
    /// registers. A signal still to be delivered to it is delivered first, by the kernel, so
    /// that the signal mask and frame are the kernel's own.
    private func applyAsyncPoint(
        _ point: AsyncPointEvent, to stopped: consuming StoppedThread, of thread: ReplayThread
    ) throws -> StoppedThread {
        var target = stopped
        if thread.pendingSignal != 0 {
            let running = try target.resume(.singleStep, signal: thread.pendingSignal)
            thread.pendingSignal = 0
            let outcome = try running.wait()
            switch consume outcome {
            case .ended(let exit):
                throw ReplayError.unreplayable(event: cursor.index, reason: "the program ended (\(exit)) while a signal was delivered")
            case .stopped(let inHandler):
                target = inHandler
            }
        }
        for run in point.pages {
            try target.memory.write(run.bytes, at: run.address)
        }
        try target.setExtendedState(point.extendedState)
        try target.setRegisters(Registers(values: point.registers.values))
        return target
    }
}
