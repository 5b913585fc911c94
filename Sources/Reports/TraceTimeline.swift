import Syscalls
import Trace

/// Works out, from a trace's events, what each thread was doing at each event: the adapter
/// between the trace format and `TimelineModel`, for `rrdbg timeline`.
///
/// A trace records how the outside world entered each thread, not what the threads were doing,
/// but the guest kernel runs one thread at a time, so the states follow from the order of the
/// events. A thread is *running* over its own consecutive events, *blocked* from its
/// `syscallEntered` event to (not including) the `syscall` event that completes the call, and
/// *runnable* (waiting for the CPU) whenever another thread runs in between otherwise. Threads
/// are created by `clone`, `fork` and `vfork` (the result is the new thread's id), end with
/// `exit`, `exit_group`, another thread's `exec`, or the final `exit` event, and whatever is
/// still open when the events run out lasts to the end, which is how the threads of a recording
/// ended by `--timeout` or Ctrl-C show where each one hung.
///
/// Events are fed one at a time with `add(_:)`, so a trace of millions of events is never held
/// in memory. Events the adapter does not understand, or that contradict what it has seen (a
/// thread it never saw created), are drawn as well as they can be rather than rejected: a
/// timeline of a damaged or newer trace is more useful than none.
public struct TraceTimeline {
    private let header: TraceHeader
    private let title: String
    private var eventCount = 0
    private var lanes: [TimelineLane] = []
    private var spans: [TimelineSpan] = []
    private var marks: [TimelineMark] = []
    /// The latest thread with each id, ended ones included (an `exit` event can name one).
    private var threads: [Int32: LaneThread] = [:]
    /// The ids of the live threads of each process, so that ending a process does not look
    /// through every thread the trace ever had.
    private var liveThreads: [Int32: Set<Int32>] = [:]
    /// The thread of the previous event, which is the one that was running.
    private var running: Int32?
    /// False until the first `exec` event, which is named after the recorded command.
    private var execSeen = false

    /// `title` names the trace on the page, usually the trace's name; `header` gives the
    /// command line, the program's name for its main thread, and how the recording ended.
    public init(header: TraceHeader, title: String) {
        self.header = header
        self.title = title
    }

    /// Takes the trace's next event.
    public mutating func add(_ event: TraceEvent) {
        let index = eventCount
        eventCount += 1
        let previous = running
        if let previous, previous != event.tid {
            switchOut(previous, at: index)
        }
        running = event.tid
        // A thread that turns up unannounced (it ran before its creator's clone returned, or
        // the trace is damaged) most likely belongs to the process that ran last.
        let guessedProcess = previous.flatMap { threads[$0]?.processID } ?? event.tid
        if case .exit(let exit) = event {
            if threads[exit.tid] == nil {
                addThread(exit.tid, processID: guessedProcess, firstEvent: index)
            }
            processEnded(exit, at: index)
            running = nil
            return
        }
        if threads[event.tid]?.state == nil {
            addThread(event.tid, processID: guessedProcess, firstEvent: index)
        }
        switchIn(event, at: index)
        switch event {
        case .exec(let exec): executed(exec, at: index)
        case .syscall(let syscall): completed(syscall, at: index)
        case .syscallEntered(let entry): begin(entry.tid, .blocked(entry), at: index)
        case .signal(let signal):
            mark(signal.tid, at: index, .signal, SyscallFormatter.signalName(Int(signal.signal)), Self.origin(of: signal))
        case .asyncPoint(let point): interrupted(point, at: index)
        case .instruction, .exit: break
        }
    }

    /// The timeline of the events added so far. Threads still alive keep their last state to
    /// the last event; if rrdbg ended the recording, each is marked there as it was left.
    public func model() -> TimelineModel {
        var finished = self
        if let reason = header.interruptedBy, eventCount > 0 {
            finished.markRecordingEnd(reason)
        }
        for tid in threads.keys.sorted() {
            finished.end(tid, lastEvent: eventCount - 1, blockedUntil: endNote)
        }
        // Lanes of one process together, processes in the order they appeared.
        var processOrder: [Int32: Int] = [:]
        for lane in lanes where processOrder[lane.processID] == nil {
            processOrder[lane.processID] = processOrder.count
        }
        let ordered = lanes.enumerated().sorted {
            (processOrder[$0.element.processID]!, $0.offset) < (processOrder[$1.element.processID]!, $1.offset)
        }.map(\.element)
        return TimelineModel(
            title: title, commandLine: header.command, eventCount: eventCount,
            lanes: ordered, spans: finished.spans, marks: finished.marks)
    }

    // MARK: Scheduling

    /// `tid` ran the previous event and another thread runs now: unless it blocked or ended,
    /// it waits for the CPU from here.
    private mutating func switchOut(_ tid: Int32, at index: Int) {
        if case .running = threads[tid]?.state {
            begin(tid, .runnable, at: index)
        }
    }

    /// `event`'s thread, a live one, runs at `index`. A blocked thread's call is over,
    /// completed by this event if it is a syscall.
    private mutating func switchIn(_ event: TraceEvent, at index: Int) {
        if case .running = threads[event.tid]?.state {
            return
        }
        let completion: SyscallEvent? = if case .syscall(let syscall) = event { syscall } else { nil }
        begin(event.tid, .running, at: index, completion: completion)
    }

    // MARK: Events

    private mutating func executed(_ exec: ExecEvent, at index: Int) {
        let tid = exec.tid
        // The first program is named as the user typed it; the ones it executes by their files.
        let program = execSeen ? Self.programName(exec) : Self.programName(header)
        execSeen = true
        // Exec ends every other thread of the process; the thread that called it becomes the
        // process's only thread, and the exec event's thread id is the process id.
        if let oldProcess = threads[tid]?.processID {
            endProcess(oldProcess, at: index, except: tid, label: "ended by exec in thread \(tid)")
        }
        setProcess(of: tid, to: tid)
        if !program.isEmpty, let lane = threads[tid]?.lane {
            lanes[lane].name = program
        }
        mark(tid, at: index, .created, program.isEmpty ? "exec" : "exec \(program)", "process \(tid)")
    }

    private mutating func completed(_ syscall: SyscallEvent, at index: Int) {
        let tid = syscall.tid
        let call = Syscall(rawValue: syscall.number)
        switch call {
        case .clone?, .clone3?, .fork?, .vfork?:
            guard syscall.result > 0, let parent = threads[tid] else { return }
            let child = Int32(truncatingIfNeeded: syscall.result)
            // clone3's flags are in memory the trace does not keep; its children are taken for
            // threads, the common case (the recorder answers clone3 with ENOSYS anyway).
            let isThread = call == .clone3 || (call == .clone && syscall.arguments[0] & CloneFlags.thread != 0)
            created(child, processID: isThread ? parent.processID : child, by: tid, at: index,
                    call: Self.call(syscall, result: syscall.result))
        case .exit?:
            mark(tid, at: index, .exited, Self.call(syscall))
            end(tid, lastEvent: index)
        case .exit_group?:
            mark(tid, at: index, .exited, Self.call(syscall))
            end(tid, lastEvent: index)
            if let process = threads[tid]?.processID {
                endProcess(process, at: index, except: tid, label: "ended by exit_group in thread \(tid)")
            }
        default:
            break
        }
    }

    /// A thread or process `child` was created at `index`: it waits for the CPU from the next
    /// event. If it already ran (its first events came before its creator's call returned), it
    /// keeps its lane and the mark goes where the lane starts.
    private mutating func created(_ child: Int32, processID: Int32, by parent: Int32, at index: Int, call: String) {
        let label = processID == child ? "forked by thread \(parent)" : "by thread \(parent)"
        var event = index
        if let existing = threads[child], existing.state != nil {
            event = min(index, existing.firstEvent)
            setProcess(of: child, to: processID)
        } else {
            addThread(child, processID: processID, firstEvent: index + 1)
        }
        // A forked process runs its parent's program until it executes another; a thread is
        // known by its ids alone, since it always runs its process's program.
        if processID == child, let from = threads[parent]?.lane, let to = threads[child]?.lane {
            lanes[to].name = lanes[from].name
        }
        mark(child, at: event, .created, label, call)
    }

    private mutating func interrupted(_ point: AsyncPointEvent, at index: Int) {
        let place = "in user code at rip=0x\(String(point.registers.rip, radix: 16))"
        switch point.reason {
        case .preempted:
            mark(point.tid, at: index, .preempted, "", place)
        case .recordingEnded:
            mark(point.tid, at: index, .other, Self.recordingEnded(header.interruptedBy), place)
        case .signal:
            // The signal event that follows marks it.
            break
        }
    }

    /// Marks the live threads at the last event, where rrdbg ended the recording, except those
    /// whose own `asyncPoint` already says so.
    private mutating func markRecordingEnd(_ reason: String) {
        let last = eventCount - 1
        let marked = Set(marks.filter { $0.event == last && $0.kind == .other }.map(\.lane))
        for (tid, thread) in threads.sorted(by: { $0.key < $1.key }) where !marked.contains(thread.lane) {
            switch thread.state {
            case .blocked?: mark(tid, at: last, .other, Self.recordingEnded(reason), endNote)
            case .runnable?: mark(tid, at: last, .other, Self.recordingEnded(reason), "waiting for the CPU")
            case .running?, nil: break
            }
        }
    }

    /// The thread group of `exit` ended: its remaining threads end here. If the thread the
    /// event names already ended (by `exit_group`), the status goes into that mark instead of
    /// a second mark next to it.
    private mutating func processEnded(_ exit: ExitEvent, at index: Int) {
        let status = Self.describe(exit.status)
        let thread = threads[exit.tid]!
        if thread.state == nil, let previous = thread.endMark {
            marks[previous].detail += (marks[previous].detail.isEmpty ? "" : "\n") + "the process \(status)"
        } else {
            mark(exit.tid, at: index, .exited, status)
            end(exit.tid, lastEvent: index - 1)
        }
        endProcess(thread.processID, at: index, except: exit.tid, label: status)
    }

    /// Every live thread of `process` but `survivor`, which ran the event at `index`, ends
    /// there with an exit mark; their last states end before it.
    private mutating func endProcess(_ process: Int32, at index: Int, except survivor: Int32, label: String) {
        for tid in (liveThreads[process] ?? []).sorted() where tid != survivor {
            mark(tid, at: index, .exited, label)
            end(tid, lastEvent: index - 1)
        }
    }

    // MARK: Lanes and marks

    private mutating func addThread(_ tid: Int32, processID: Int32, firstEvent: Int) {
        let lane = lanes.count
        lanes.append(TimelineLane(id: lane, name: "", processID: processID, threadID: tid))
        threads[tid] = LaneThread(lane: lane, processID: processID, firstEvent: firstEvent)
        liveThreads[processID, default: []].insert(tid)
    }

    /// Moves the live thread `tid` to another process.
    private mutating func setProcess(of tid: Int32, to processID: Int32) {
        guard let thread = threads[tid] else { return }
        liveThreads[thread.processID]?.remove(tid)
        liveThreads[processID, default: []].insert(tid)
        threads[tid]?.processID = processID
        lanes[thread.lane].processID = processID
    }

    /// Puts a mark on `tid`'s lane; an exit mark is remembered as the thread's last.
    private mutating func mark(
        _ tid: Int32, at index: Int, _ kind: TimelineMark.Kind, _ label: String, _ detail: String = ""
    ) {
        guard let lane = threads[tid]?.lane else { return }
        if kind == .exited {
            threads[tid]?.endMark = marks.count
        }
        marks.append(TimelineMark(lane: lane, event: index, kind: kind, label: label, detail: detail))
    }

    /// Ends `tid`'s current state before `index` and starts `state` there.
    private mutating func begin(_ tid: Int32, _ state: LaneThread.State, at index: Int, completion: SyscallEvent? = nil) {
        if let span = threads[tid]?.begin(state, at: index, completion: completion) {
            spans.append(span)
        }
    }

    /// Ends `tid`'s current state at `lastEvent`, and the thread with it.
    private mutating func end(_ tid: Int32, lastEvent: Int, blockedUntil note: String = "") {
        if let span = threads[tid]?.end(lastEvent: lastEvent, blockedUntil: note) {
            spans.append(span)
        }
        if let process = threads[tid]?.processID {
            liveThreads[process]?.remove(tid)
        }
    }

    /// Why a blocked span reaches the end of the trace.
    private var endNote: String {
        switch header.interruptedBy {
        case TraceHeader.endedByTimeout?: "still waiting when --timeout ended the recording"
        case TraceHeader.endedByInterrupt?: "still waiting when the recording was interrupted"
        case let reason?: "still waiting when the recording ended (\(reason))"
        case nil: "still waiting where the trace ends"
        }
    }
}

/// One thread as the timeline follows it.
private struct LaneThread {
    enum State {
        case running
        case runnable
        /// In the call entered here.
        case blocked(SyscallEntryEvent)
    }

    var lane: Int
    var processID: Int32
    /// The first event at which the thread existed.
    var firstEvent: Int
    /// Nil once the thread ended.
    var state: State? = .runnable
    /// Where the current state began.
    var since: Int
    /// The index in the model's marks of the mark that ended the thread.
    var endMark: Int?

    init(lane: Int, processID: Int32, firstEvent: Int) {
        self.lane = lane
        self.processID = processID
        self.firstEvent = firstEvent
        since = firstEvent
    }

    /// Starts `next` at `index` and returns the span of the state it ends, if that lasted at
    /// least one event. `completion` is the syscall event that ends a blocked state, if any.
    mutating func begin(_ next: State, at index: Int, completion: SyscallEvent?) -> TimelineSpan? {
        guard state != nil else { return nil }
        let span = span(lastEvent: index - 1, completion: completion, blockedUntil: "")
        state = next
        since = index
        return span
    }

    /// Ends the thread and returns the span of its last state, up to `lastEvent`; a blocked
    /// span that ends this way says `blockedUntil` in its tooltip.
    mutating func end(lastEvent: Int, blockedUntil: String) -> TimelineSpan? {
        let span = span(lastEvent: lastEvent, completion: nil, blockedUntil: blockedUntil)
        state = nil
        return span
    }

    private func span(lastEvent: Int, completion: SyscallEvent?, blockedUntil: String) -> TimelineSpan? {
        guard let state, lastEvent >= since else { return nil }
        switch state {
        case .running:
            return TimelineSpan(lane: lane, firstEvent: since, lastEvent: lastEvent, kind: .running)
        case .runnable:
            return TimelineSpan(lane: lane, firstEvent: since, lastEvent: lastEvent, kind: .runnable)
        case .blocked(let entry):
            let call: String
            let detail: String
            if let completion, completion.number == Int(truncatingIfNeeded: entry.registers.origRax) {
                call = TraceTimeline.call(completion)
                detail = "returned " + SyscallFormatter.formatResult(completion.result, number: completion.number)
            } else {
                call = TraceTimeline.call(SyscallEvent(tid: entry.tid, registers: entry.registers, result: 0))
                detail = blockedUntil
            }
            return TimelineSpan(
                lane: lane, firstEvent: since, lastEvent: lastEvent, kind: .blocked, label: call, detail: detail)
        }
    }
}
