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
            if case .exit = event {
                throw ReplayError.diverged(
                    event: cursor.index + 1, what: "exit", expected: EventDescription.event(event),
                    got: "the program still running")
            }
            guard let thread = threads[recorded: event.tid], let stopped = thread.parked.take() else {
                throw ReplayError.unreplayable(
                    event: cursor.index + 1, reason: "the trace names thread \(event.tid), which is not waiting in the replay")
            }
            switch event {
            case .asyncPoint(let point):
                _ = try cursor.next()
                thread.parked = try applyAsyncPoint(point, to: stopped, of: thread)
                continue
            case .syscall where thread.atAnnouncedEntry:
                thread.atAnnouncedEntry = false
                return try apply(stopped, then: mode == .singleStep ? .pause : .resume(mode))
            default:
                if case .signal(let recorded) = event, recorded.origin == .asynchronous {
                    // Its async point put the thread where the signal landed; it arrives again
                    // before the thread runs a single instruction.
                    try stopped.process.signalThread(stopped.tid, recorded.signal)
                }
                if thread.debugRegistersVersion != debugRegistersVersion {
                    try stopped.setDebugRegisters(debugRegisters)
                    thread.debugRegistersVersion = debugRegistersVersion
                }
                let signal = thread.pendingSignal
                thread.pendingSignal = 0
                return .running(try stopped.resume(mode, signal: signal))
            }
        }
    }

    /// All events are applied and the recording ended with the program running: the threads
    /// stay where the recording left them.
    private func endOfTrace() throws -> Applied {
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

    /// Replays `clone` of a thread: the kernel creates it, and the program sees the recorded
    /// thread id, both as the result and where the recording's kernel stored it.
    func createThread(_ stopped: consuming StoppedThread, _ recorded: SyscallEvent, index: Int, then: Continuation) throws -> Applied {
        let what = EventDescription.kind(of: .syscall(recorded))
        try RegisterCheck.require(try stopped.registers(), equal: recorded.registers, event: index, what: what)
        let process = stopped.process
        let parent = stopped.tid
        _ = try stopped.resume(.syscall)
        var child: pid_t?
        while true {
            let outcome = try process.waitForStop(of: parent, timeout: 3600)
            guard let outcome else { continue }
            switch consume outcome {
            case .ended(let exit):
                return .ended(exit)
            case .stopped(let next):
                if next.stop == .event(PtraceEventCode.clone) {
                    child = pid_t(truncatingIfNeeded: try next.eventMessage())
                    _ = try next.resume(.syscall)
                    continue
                }
                guard next.stop == .syscallExit, let child else {
                    throw ReplayError.diverged(event: index, what: what, expected: "a new thread", got: "\(next.stop)")
                }
                var registers = try next.registers()
                guard !SyscallResult.isError(registers.syscallResult) else {
                    throw ReplayError.diverged(
                        event: index, what: what, expected: "thread \(recorded.result)", got: "result \(registers.syscallResult)")
                }
                registers.rax = UInt64(bitPattern: recorded.result)
                try next.setRegisters(registers)
                for write in recorded.memoryWrites {
                    try next.memory.write(write.bytes, at: write.address)
                }
                try adoptNewThread(child, recordedTid: Int32(truncatingIfNeeded: recorded.result), process: process, event: index)
                switch then {
                case .resume(let mode): return .running(try next.resume(mode))
                case .pause: return .paused(next, pendingSignal: 0)
                }
            }
        }
    }

    /// Waits for a new thread's first stop and parks it under its recorded id.
    private func adoptNewThread(_ tid: pid_t, recordedTid: Int32, process: GuestProcess, event: Int) throws {
        guard let outcome = try process.waitForStop(of: tid, timeout: 10) else {
            throw ReplayError.unreplayable(event: event, reason: "the new thread \(recordedTid) did not start")
        }
        switch consume outcome {
        case .ended:
            throw ReplayError.unreplayable(event: event, reason: "the new thread \(recordedTid) died at once")
        case .stopped(let first):
            threads.add(recordedTid: recordedTid, realTid: tid)
            park(first, signal: 0)
        }
    }

    /// `exit` or `exit_group` was let run: waits for the thread to be gone, then goes on with
    /// the other threads, or reports the program's end.
    func threadExiting(_ applied: consuming Applied, _ recorded: SyscallEvent, index: Int) throws -> Applied {
        guard case .running(let running) = consume applied else {
            throw ReplayError.unreplayable(event: index, reason: "exit did not run")
        }
        let process = running.process
        let tid = running.tid
        if recorded.number != Self.exitGroup && threads.count > 1 {
            if tid != process.pid {
                // Wait until the thread is gone, so the kernel's store to its clear-tid word is done.
                let outcome = try running.wait()
                switch consume outcome {
                case .ended: break
                case .stopped(let stray):
                    throw ReplayError.diverged(event: index, what: "exit", expected: "the thread to end", got: "\(stray.stop)")
                }
            }
            threads.remove(recordedTid: recorded.tid)
            return try dispatch(.cont)
        }
        return .ended(process.reapUntilLeaderEnds() ?? .exited(0))
    }

    /// A thread ended outside an exit call (a fatal signal kills every thread): reaps the rest
    /// and reports how the program ended.
    func guestEnded(_ process: GuestProcess, tid: pid_t, _ exit: GuestExit) -> GuestExit {
        if tid == process.pid { return exit }
        return process.reapUntilLeaderEnds() ?? exit
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
