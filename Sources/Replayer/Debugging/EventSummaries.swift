import Guest
import Syscalls
import Trace

/// What reverse execution needs to know about each event of a trace to step back over it:
/// which instruction caused it, or that it left the thread where it already was.
struct EventSummary: Equatable {
    enum Kind: Equatable {
        /// A syscall, or a trapped instruction (rdtsc, cpuid): the instruction at `address` ran
        /// once, and that run is the event.
        case instruction(address: UInt64)
        /// A syscall whose thread had been waiting at its entry since an earlier event: no
        /// instruction ran for it.
        case completion
        /// A fault: the instruction at `address` was about to run (it may have run before).
        case fault(address: UInt64)
        /// The thread is where the previous event left it (a signal delivered at a syscall's
        /// return or at an async point).
        case samePlace
        /// An async point: the thread was stopped by the recorder at the state `event(at:)`
        /// holds (not kept here: its pages can be large).
        case asyncPoint
        /// Something stepping back does not cross (exec, exit).
        case boundary
    }

    var tid: Int32
    var kind: Kind
}

/// The summaries of every event of a trace, read once, by process: reverse execution counts
/// places in the debugged process's own events (`ReplayEngine.progress`).
final class EventSummaries {
    private let trace: TraceDirectory
    private var byProcess: [Int32: [(index: Int, summary: EventSummary)]]?

    init(trace: TraceDirectory) {
        self.trace = trace
    }

    /// The summary of process `pid`'s event number `progress` (counting from 1), if any.
    func summary(ofProgress progress: Int, process pid: Int32) throws -> EventSummary? {
        let events = try loaded()[pid] ?? []
        return events.indices.contains(progress - 1) ? events[progress - 1].summary : nil
    }

    /// Process `pid`'s event number `progress` in full, read from the trace again.
    func event(ofProgress progress: Int, process pid: Int32) throws -> TraceEvent? {
        let events = try loaded()[pid] ?? []
        guard events.indices.contains(progress - 1) else { return nil }
        let wanted = events[progress - 1].index
        let reader = try TraceReader(directory: trace)
        var current = -1
        while let event = try reader.next() {
            current += 1
            if current == wanted { return event }
        }
        return nil
    }

    private func loaded() throws -> [Int32: [(index: Int, summary: EventSummary)]] {
        if let byProcess { return byProcess }
        let reader = try TraceReader(directory: trace)
        var result: [Int32: [(index: Int, summary: EventSummary)]] = [:]
        var processOfThread: [Int32: Int32] = [:]
        var waitingAtEntry: Set<Int32> = []
        var index = -1
        while let event = try reader.next() {
            index += 1
            let kind: EventSummary.Kind
            switch event {
            case .syscall(let call):
                kind = waitingAtEntry.remove(call.tid) != nil ? .completion : .instruction(address: call.registers.rip &- 2)
                if SyscallTable.descriptor(for: call.number)?.replay == .createTask, call.result > 0, !SyscallResult.isError(call.result) {
                    let child = Int32(truncatingIfNeeded: call.result)
                    let creator = processOfThread[call.tid] ?? call.tid
                    processOfThread[child] = TaskCreation.createsProcess(Registers(values: call.registers.values)) ? child : creator
                }
            case .syscallEntered(let entry):
                waitingAtEntry.insert(entry.tid)
                kind = .instruction(address: entry.registers.rip &- 2)
            case .instruction(let trap):
                kind = .instruction(address: trap.registers.rip)
            case .signal(let signal):
                kind = signal.origin == .synchronous ? .fault(address: signal.registers.rip) : .samePlace
            case .asyncPoint:
                kind = .asyncPoint
            case .exec(let exec):
                processOfThread[exec.tid] = processOfThread[exec.tid] ?? exec.tid
                kind = .boundary
            case .exit:
                kind = .boundary
            }
            let pid = processOfThread[event.tid] ?? event.tid
            result[pid, default: []].append((index, EventSummary(tid: event.tid, kind: kind)))
        }
        byProcess = result
        return result
    }
}
