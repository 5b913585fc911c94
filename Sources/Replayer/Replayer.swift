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

    /// Replays to the end and returns the recorded program's shell status.
    public func run() throws -> Int32 {
        var applied = Applied.running(try engine.start().resume(.cont))
        while true {
            switch consume applied {
            case .ended(let exit):
                return try engine.finish(exit)
            case .paused(let thread, let signal):
                applied = .running(try thread.resume(.cont, signal: signal))
            case .running(let running):
                let outcome = try running.wait()
                switch consume outcome {
                case .ended(let exit):
                    return try engine.finish(exit)
                case .stopped(let stopped):
                    applied = try engine.apply(stopped, then: .resume(.cont))
                }
            }
        }
    }
}
