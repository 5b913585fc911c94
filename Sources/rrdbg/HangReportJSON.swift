import Foundation
import Guest
import Replayer

/// `rrdbg hang --json`: the report as one JSON document for tools. Addresses are hex strings,
/// since 64-bit values do not survive JSON numbers in most readers; ids and lines are numbers.
enum HangReportJSON {
    static func document(_ report: HangReport) throws -> String {
        let object: [String: Any] = [
            "trace": report.trace,
            "event": report.eventIndex,
            "stop": stopPoint(report),
            "threads": report.threads.map(thread),
            "mutexCycles": report.mutexCycles.map { cycle in
                ["text": MutexWaitGraph.describe(cycle), "edges": cycle.map(edge)] as [String: Any]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func stopPoint(_ report: HangReport) -> [String: Any] {
        var object: [String: Any] = ["text": HangReportText.stopPoint(report)]
        switch report.stopPoint {
        case .recordingEnded(let reason):
            object["kind"] = "recordingEnded"
            object["reason"] = reason
        case .beforeExit(let status):
            object["kind"] = "beforeExit"
            object["exitStatus"] = Int(status.shellStatus)
        case .requestedEvent(let event):
            object["kind"] = "requestedEvent"
            object["requestedEvent"] = event
        case .traceCutOff:
            object["kind"] = "traceCutOff"
        }
        return object
    }

    private static func thread(_ thread: HangReport.Thread) -> [String: Any] {
        var object: [String: Any] = [
            "tid": Int(thread.tid),
            "main": thread.isMain,
            "backtrace": thread.frames.map(frame),
        ]
        if let end = thread.framesEnd { object["backtraceEnd"] = end }
        switch thread.state {
        case .running(let pc):
            object["state"] = "running"
            object["pc"] = HangReportText.hex(pc)
        case .blocked(let call):
            object["state"] = "blocked"
            object["syscall"] = [
                "number": call.number,
                "name": call.name,
                "arguments": call.arguments.map(HangReportText.hex),
                "text": call.text,
                "descriptors": call.descriptors.map { descriptor in
                    var fd: [String: Any] = ["argument": descriptor.argument, "fd": Int(descriptor.fd)]
                    if let description = descriptor.description { fd["description"] = description }
                    return fd
                },
            ] as [String: Any]
        }
        if let wait = thread.mutexWait {
            object["mutex"] = ["address": HangReportText.hex(wait.mutex), "owner": wait.owner.map { Int($0) } ?? NSNull()] as [String: Any]
        }
        return object
    }

    private static func edge(_ edge: MutexWaitGraph.Edge) -> [String: Any] {
        ["waiter": Int(edge.waiter), "mutex": HangReportText.hex(edge.mutex), "owner": edge.owner.map { Int($0) } ?? NSNull()]
    }

    /// The frame's address and its locations, innermost first: functions inlined at the
    /// address, then `function`, the one the frame belongs to.
    private static func frame(_ frame: SymbolizedFrame) -> [String: Any] {
        var object: [String: Any] = [
            "pc": HangReportText.hex(frame.frame.ip),
            "function": frame.function,
            "locations": frame.locations.map { location in
                var object: [String: Any] = ["function": location.function]
                if let file = location.file { object["file"] = file }
                if let line = location.line { object["line"] = line }
                return object
            },
        ]
        if let problem = frame.problem { object["problem"] = problem }
        return object
    }
}
