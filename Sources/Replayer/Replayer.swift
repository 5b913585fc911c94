import Guest
import Trace

/// Replays a trace: runs the recorded program again under the guest kernel and feeds it the
/// recorded events, checking at every event that it is exactly where the recording was.
///
/// Like the recorder, it must run on the thread that starts the guest.
public final class Replayer {
    private let engine: ReplayEngine

    public init(trace: TraceDirectory) throws {
        engine = try ReplayEngine(trace: trace)
    }

    /// How a replay ended.
    public enum Outcome: Sendable {
        /// The program ended as recorded, with this shell status.
        case exited(Int32)
        /// The recording was ended while the program ran (see `TraceHeader.interruptedBy`), and
        /// replay reached that same final state.
        case reachedRecordingEnd(String)
    }

    /// The status a shell reports for a process that ended this way.
    static func shellStatus(_ exit: GuestExit) -> Int32 {
        switch exit {
        case .exited(let code): return code
        case .killed(let signal, _): return 128 + signal
        }
    }

    /// Replays to the end.
    public func run() throws -> Outcome {
        let main = try engine.start()
        engine.park(main, signal: 0)
        var applied = try engine.dispatch(.cont)
        while true {
            switch consume applied {
            case .ended(let exit):
                return .exited(Self.shellStatus(exit))
            case .endOfTrace(let thread):
                thread.process.killAndReap()
                return .reachedRecordingEnd(engine.header.interruptedBy ?? "")
            case .paused(let thread, let signal):
                engine.park(thread, signal: signal)
                applied = try engine.dispatch(.cont)
            case .running(let running):
                let tid = running.tid
                let outcome = try running.wait()
                switch consume outcome {
                case .ended(let exit):
                    applied = try engine.threadDied(tid, exit)
                case .stopped(let stopped):
                    applied = try engine.apply(stopped, then: .resume(.cont))
                }
            }
        }
    }
}
