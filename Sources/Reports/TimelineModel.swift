/// Everything `rrdbg timeline` draws, independent of the trace format.
///
/// The timeline is a report, not a replay: an adapter reads a trace once and describes, per thread
/// or process, what happened at which event index. Keeping this model free of trace types lets the
/// renderer be tested with synthetic data and lets the trace format change without touching it.
/// The x axis of the page is the event index in the trace, from 0 to `eventCount`.
public struct TimelineModel: Sendable, Equatable {
    /// Shown as the page's heading and `<title>`; usually the trace's name.
    public var title: String
    /// The recorded command line, program first.
    public var commandLine: [String]
    /// How many events the trace holds. The axis runs to this value, or further if a span or mark
    /// lies beyond it.
    public var eventCount: Int
    /// One lane per thread or process, drawn top to bottom in this order.
    public var lanes: [TimelineLane]
    /// What each lane was doing over ranges of events. Spans of one lane should not overlap.
    public var spans: [TimelineSpan]
    /// Instantaneous happenings, such as a thread starting or a signal arriving.
    public var marks: [TimelineMark]

    public init(
        title: String, commandLine: [String], eventCount: Int,
        lanes: [TimelineLane], spans: [TimelineSpan] = [], marks: [TimelineMark] = []
    ) {
        self.title = title
        self.commandLine = commandLine
        self.eventCount = eventCount
        self.lanes = lanes
        self.spans = spans
        self.marks = marks
    }
}

/// One row of the timeline: a thread, or a whole process when `threadID` is nil.
///
/// The ids are kept separate from the name so the page can always show them, even for threads
/// that never set a name, and so the label format stays the same across reports.
public struct TimelineLane: Sendable, Equatable, Identifiable {
    /// The key that spans and marks use to name their lane. Unique within a model; if two lanes
    /// share one, everything naming it is drawn in the first.
    public var id: Int
    /// The thread's or process's name (its `comm`), such as `worker`. May be empty.
    public var name: String
    public var processID: Int32
    /// Nil when the lane stands for the whole process.
    public var threadID: Int32?

    public init(id: Int, name: String, processID: Int32, threadID: Int32?) {
        self.id = id
        self.name = name
        self.processID = processID
        self.threadID = threadID
    }

    /// The lane's label as the page shows it, such as `pid 1234 · thread 1235 (worker)`.
    public var label: String {
        name.isEmpty ? identifiers : "\(identifiers) (\(name))"
    }

    /// The label without the name, such as `pid 1234 · thread 1235`.
    var identifiers: String {
        threadID.map { "pid \(processID) · thread \($0)" } ?? "pid \(processID)"
    }
}

/// A range of events during which a lane was in one state.
///
/// Both ends are inclusive event indexes, so a span that starts and ends at the same event is one
/// event wide.
public struct TimelineSpan: Sendable, Equatable {
    /// The state a thread can be in between two events.
    public enum Kind: String, Sendable, CaseIterable {
        /// Executing on the CPU.
        case running
        /// Ready to run but waiting for the CPU, which another thread holds.
        case runnable
        /// Waiting in the kernel, usually in a system call named by the span's label.
        case blocked
    }

    /// The `id` of the lane this span belongs to.
    public var lane: Int
    public var firstEvent: Int
    public var lastEvent: Int
    public var kind: Kind
    /// A short description, such as `futex(WAIT, 0x7f…)` for a blocked span. May be empty.
    public var label: String
    /// Longer text shown only in the span's tooltip. May be empty.
    public var detail: String

    public init(lane: Int, firstEvent: Int, lastEvent: Int, kind: Kind, label: String = "", detail: String = "") {
        self.lane = lane
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
        self.kind = kind
        self.label = label
        self.detail = detail
    }
}

/// Something that happened to a lane at one event.
public struct TimelineMark: Sendable, Equatable {
    /// What kind of happening a mark stands for; each kind has its own symbol on the page.
    public enum Kind: String, Sendable, CaseIterable {
        /// The thread or process was created (clone, fork, exec).
        case created
        /// The thread or process exited.
        case exited
        /// A signal was delivered.
        case signal
        /// The scheduler took the CPU away from a thread that did not block.
        case preempted
        /// Anything else worth pointing at.
        case other
    }

    /// The `id` of the lane this mark belongs to.
    public var lane: Int
    public var event: Int
    public var kind: Kind
    /// A short description, such as `SIGSEGV`. May be empty.
    public var label: String
    /// Longer text shown only in the mark's tooltip. May be empty.
    public var detail: String

    public init(lane: Int, event: Int, kind: Kind, label: String = "", detail: String = "") {
        self.lane = lane
        self.event = event
        self.kind = kind
        self.label = label
        self.detail = detail
    }
}
