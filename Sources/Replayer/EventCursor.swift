import Trace

/// Walks a trace's events with one event of lookahead and the index `rrdbg dump` shows.
///
/// Lookahead is how replay knows, after a syscall, that the recording delivered a signal on
/// its return, and so must send that signal before resuming.
final class EventCursor {
    private let reader: TraceReader
    private var buffered: TraceEvent?
    /// Index of the event most recently returned by `next()`.
    private(set) var index = -1
    /// The thread of the event most recently returned by `next()`.
    private(set) var lastTid: Int32?
    /// How many events of each thread `next()` has returned.
    private(set) var consumed: [Int32: Int] = [:]

    init(reader: TraceReader) {
        self.reader = reader
    }

    var isTruncated: Bool { reader.isTruncated }

    func peek() throws -> TraceEvent? {
        if buffered == nil { buffered = try reader.next() }
        return buffered
    }

    /// Puts back the event `next()` just returned.
    func unread(_ event: TraceEvent) {
        buffered = event
        index -= 1
        consumed[event.tid, default: 1] -= 1
    }

    func next() throws -> TraceEvent? {
        let event = try peek()
        buffered = nil
        if let event {
            index += 1
            lastTid = event.tid
            consumed[event.tid, default: 0] += 1
        }
        return event
    }
}
