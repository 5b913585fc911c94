import Guest
import Trace

/// What a replay engine tells whoever watches the replay (the replay debugger), and the few
/// things it asks them.
///
/// Plain replay only applies events; a debugger needs a say at a few points of it: a forked
/// process's copy of the parent's breakpoint bytes must go, breakpoints in code that replay
/// maps over must be planted again, a thread must be prepared before it runs (its debug
/// registers, a probe at an async point ahead), and async points must sometimes be reached by
/// running, or the replay paused where reverse execution wants it. One protocol carries all of
/// that, rather than knobs and callbacks on the engine, so that the engine holds replay state
/// only and plain replay, which has no observer, asks nothing: the defaults below are how
/// plain replay runs.
///
/// The engine holds its observer weakly: a debugger owns its engine.
protocol ReplayObserver: AnyObject {
    /// Replay forked a process, which has not run yet; `memory` is its copy of the parent's.
    func processCreated(_ memory: GuestMemory)

    /// Replay placed new memory (an mmap and its contents) over `range` in the stopped guest.
    func memoryMapped(_ range: Range<UInt64>, in memory: GuestMemory)

    /// A thread of the watched process (`ReplayEngine.focusPID`) is about to run towards its
    /// next event (`next`), continuing or stepping as `mode` says; the observer prepares it and
    /// returns it.
    func threadWillRun(_ thread: consuming StoppedThread, toward next: TraceEvent, mode: ResumeMode) throws -> StoppedThread

    /// Whether the watched process's async points are reached by running its thread to them
    /// rather than by writing their recorded state: breakpoints and watchpoints may fire on the
    /// way. The cost grows with how often the point's instruction runs before the point.
    var executesAsyncPoints: Bool { get }

    /// Whether the replay pauses once `ReplayEngine.progress` is `progress`: the event that
    /// brings it there is applied and its thread left paused right after it, whatever the
    /// caller asked for.
    func pausesReplay(atProgress progress: Int) -> Bool

    /// Whether the thread of the stretch after `progress` must start it through `threadWillRun`
    /// even where it would simply run on after its event.
    func preparesStretch(atProgress progress: Int) -> Bool

    /// The hardware breakpoints and watchpoints each thread of the watched process gets before
    /// it runs, since the CPU's debug registers belong to one thread each.
    var debugRegisters: DebugRegisterAssignment { get }
}

extension ReplayObserver {
    func processCreated(_ memory: GuestMemory) {}

    func memoryMapped(_ range: Range<UInt64>, in memory: GuestMemory) {}

    func threadWillRun(_ thread: consuming StoppedThread, toward next: TraceEvent, mode: ResumeMode) throws -> StoppedThread {
        thread
    }

    var executesAsyncPoints: Bool { false }

    func pausesReplay(atProgress progress: Int) -> Bool { false }

    func preparesStretch(atProgress progress: Int) -> Bool { false }

    var debugRegisters: DebugRegisterAssignment { DebugRegisterAssignment() }
}

/// Debug register slots for the threads of a replay, and a version that changes whenever they
/// do, so that a thread that already has them is not given them again.
struct DebugRegisterAssignment {
    /// No slot armed.
    static let none: [DebugRegisterSlot?] = [nil, nil, nil, nil]

    var slots: [DebugRegisterSlot?] = DebugRegisterAssignment.none
    /// 0 until slots are first assigned: the version every new thread has already.
    var version = 0
}
