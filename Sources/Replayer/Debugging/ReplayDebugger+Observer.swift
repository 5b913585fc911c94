import Guest
import Trace

/// The debugger as its engine's observer: it keeps the breakpoints in place as the replay
/// forks and maps memory, readies the threads it watches before they run, and answers the
/// engine's questions from the current run's settings.
extension ReplayDebugger: ReplayObserver {
    /// A forked process got a copy of every breakpoint byte planted in its parent; it is not
    /// the process being debugged (a process is debugged from its start), so they go.
    func processCreated(_ memory: GuestMemory) {
        breakpoints.removeInherited(from: memory)
    }

    /// Breakpoints in `range` are gone with the old contents, so they are planted again, with
    /// the others still waiting for their code.
    func memoryMapped(_ range: Range<UInt64>, in memory: GuestMemory) {
        guard isDebuggedProcess(memory) else { return }
        breakpoints.memoryReplaced(range)
        plantQueuedBreakpoints(in: memory)
    }

    func threadWillRun(_ thread: consuming StoppedThread, toward next: TraceEvent, mode: ResumeMode) throws -> StoppedThread {
        try prepareToRun(thread, toward: next, mode: mode)
    }

    func pausesReplay(atProgress progress: Int) -> Bool {
        pausesAtProgress == progress
    }

    func preparesStretch(atProgress progress: Int) -> Bool {
        stretchToPrepare == progress
    }

    var debugRegisters: DebugRegisterAssignment { breakpoints.assignment }
}
