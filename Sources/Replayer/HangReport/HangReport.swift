import Trace
import Unwind

/// What every thread of a recorded program was doing at one point of its trace, usually where
/// a hung program was stopped: blocked in which call on what, through which functions, and
/// which threads wait for each other's mutexes.
///
/// It is plain data, so `rrdbg hang` can print it as text or JSON and tests can examine it.
/// Thread ids are the recorded ones everywhere, since those are the ids the program itself
/// saw and stored (in mutexes, for instance).
public struct HangReport: Equatable, Sendable {
    /// Where in the trace the report was taken.
    public enum StopPoint: Equatable, Sendable {
        /// rrdbg ended the recording while the program ran (`timeout` or `interrupt`): every
        /// thread is exactly where it was then.
        case recordingEnded(reason: String)
        /// The program ended after this point; its threads are held just before the end.
        case beforeExit(ExitEvent.Status)
        /// The point the user asked for: just after that event, or the first point after it
        /// where replay can hold every thread (some events, such as a thread's exit or an async
        /// point before a signal, are applied together with the next one).
        case requestedEvent(Int)
        /// The trace stops here without saying why: the recorder was killed.
        case traceCutOff
    }

    /// One thread at the stop point.
    public struct Thread: Equatable, Sendable {
        public enum State: Equatable, Sendable {
            /// In user code (or between calls), at `pc`.
            case running(pc: UInt64)
            /// Waiting in a system call, at the point where the recording saw it block.
            case blocked(BlockedCall)
        }

        /// The thread's id as the program saw it.
        public var tid: Int32
        /// True for the main thread, whose id is the process id.
        public var isMain: Bool
        public var state: State
        /// The call stack, innermost first, with names where the binaries have them.
        public var frames: [SymbolizedFrame]
        /// Why the call stack has no more frames, when that is not its natural end: the
        /// unwinder's failure or the frame limit.
        public var framesEnd: String?
        /// The mutex the thread waits for in `pthread_mutex_lock`, if it does.
        public var mutexWait: MutexWaitGraph.Edge?
    }

    /// The trace the report comes from.
    public var trace: String
    public var stopPoint: StopPoint
    /// The index (as `rrdbg dump` shows it) of the last event replayed.
    public var eventIndex: Int
    /// The threads alive at the stop point, the main thread first, then in creation order.
    public var threads: [Thread]
    /// Every cycle of threads waiting for mutexes held by each other: a deadlock.
    public var mutexCycles: [[MutexWaitGraph.Edge]]
}
