import Guest
import Replayer
import Syscalls
import Trace
import Unwind

/// `rrdbg hang` for people: where the replay stopped, any deadlock first, then each thread's
/// state and backtrace, in gdb's frame notation so the stacks read like `thread apply all bt`.
enum HangReportText {
    static func text(_ report: HangReport) -> String {
        var lines = [
            "hang report for \(report.trace)",
            "stopped after event \(report.eventIndex), \(stopPoint(report))",
        ]
        lines += report.mutexCycles.map { "deadlock: " + MutexWaitGraph.describe($0) }
        let live = Set(report.threads.map(\.tid))
        for thread in report.threads {
            lines.append("")
            lines.append("thread \(thread.tid)\(thread.isMain ? " (main)" : ""): \(state(thread.state))")
            if let wait = thread.mutexWait { lines.append("  " + mutexWait(wait, live: live)) }
            for (number, frame) in thread.frames.enumerated() {
                lines.append("  " + self.frame(frame, number: number))
            }
            if let end = thread.framesEnd { lines.append("  (backtrace ends: \(end))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func stopPoint(_ report: HangReport) -> String {
        switch report.stopPoint {
        case .recordingEnded(let reason):
            let by = [TraceHeader.endedByTimeout: "--timeout", TraceHeader.endedByInterrupt: "an interrupt (Ctrl-C)"][reason] ?? reason
            return "where \(by) ended the recording while the program ran"
        case .beforeExit(.exited(let code)):
            return "just before the program exited with status \(code)"
        case .beforeExit(.killed(let signal, _)):
            return "just before the program was killed by \(SyscallFormatter.signalName(Int(signal)))"
        case .requestedEvent(let event) where event == report.eventIndex:
            return "as asked (--event \(event))"
        case .requestedEvent(let event):
            return "the first point after --event \(event) where every thread can be held"
        case .traceCutOff:
            return "where the trace ends (the recorder did not finish)"
        }
    }

    private static func state(_ state: HangReport.Thread.State) -> String {
        switch state {
        case .running(let pc): return "running at \(hex(pc))"
        case .blocked(let call): return "blocked in \(call.text)"
        }
    }

    /// `waits for mutex 0x… held by thread 3`, saying so when the holder has exited.
    private static func mutexWait(_ edge: MutexWaitGraph.Edge, live: Set<Int32>) -> String {
        let holder: String
        switch edge.owner {
        case let owner? where live.contains(owner): holder = "held by thread \(owner)"
        case let owner?: holder = "held by thread \(owner), which has exited"
        case nil: holder = "with no owner stored in it"
        }
        return "waits for mutex \(hex(edge.mutex)) \(holder)"
    }

    /// `#2  0x0000555555555199 in forward at /src/deadlock.c:16`.
    private static func frame(_ frame: SymbolizedFrame, number: Int) -> String {
        let digits = String(frame.frame.ip, radix: 16)
        let address = "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        let problem = frame.problem.map { " (\($0))" } ?? ""
        return "#\(String(number).rightPadded(to: 2)) \(address) in \(frame.description)\(problem)"
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
