import Trace

/// Why a replay stopped before the end of the trace.
public enum ReplayError: Error, CustomStringConvertible {
    /// The replaying program is not where the recording was: the worst possible bug, so it is
    /// reported, never ignored. `event` is the index shown by `rrdbg dump`.
    case diverged(event: Int, what: String, expected: String, got: String)
    /// The trace cannot be replayed by this rrdbg.
    case unreplayable(event: Int, reason: String)
    /// The trace ends before the program did: the recorder was killed (`endReason` nil), or it
    /// stopped the recording early and said why.
    case incomplete(eventsReplayed: Int, truncated: Bool, endReason: String?)

    public var description: String {
        switch self {
        case .diverged(let event, let what, let expected, let got):
            return "replay diverged at event \(event) (\(what)): expected \(expected), got \(got)"
        case .unreplayable(let event, let reason):
            return "cannot replay event \(event): \(reason)"
        case .incomplete(let count, let truncated, let endReason):
            let why: String
            if truncated {
                why = "the trace's last frame is cut off (the recorder was probably killed)"
            } else if let endReason {
                why = "the recording stopped early (\(endReason))"
            } else {
                why = "the recording did not finish (the recorder was probably killed)"
            }
            return "replayed \(count) events, then the trace ends: \(why)"
        }
    }
}
