import Foundation
import Replayer
import Unwind

/// `rrdbg hang --json`: the report as one JSON document for tools. Addresses are hex strings,
/// since 64-bit values do not survive JSON numbers in most readers; ids and lines are numbers.
///
/// The document is a tree of `Encodable` values that mirror its shape, so the field names and
/// which fields are optional can be read off the types; keys are sorted so the output is stable.
enum HangReportJSON {
    static func document(_ report: HangReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(report))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        var trace: String
        var event: Int
        var stop: Stop
        var threads: [Thread]
        var mutexCycles: [Cycle]

        init(_ report: HangReport) {
            trace = report.trace
            event = report.eventIndex
            stop = Stop(report)
            threads = report.threads.map(Thread.init)
            mutexCycles = report.mutexCycles.map { cycle in
                Cycle(text: MutexWaitGraph.describe(cycle), edges: cycle.map(Edge.init))
            }
        }
    }

    /// Where the report was taken; which of the optional fields is present depends on `kind`.
    private struct Stop: Encodable {
        var text: String
        var kind: String
        var reason: String?
        var exitStatus: Int?
        var requestedEvent: Int?

        init(_ report: HangReport) {
            text = HangReportText.stopPoint(report)
            switch report.stopPoint {
            case .recordingEnded(let reason):
                kind = "recordingEnded"
                self.reason = reason
            case .beforeExit(let status):
                kind = "beforeExit"
                exitStatus = Int(status.shellStatus)
            case .requestedEvent(let event):
                kind = "requestedEvent"
                requestedEvent = event
            case .traceCutOff:
                kind = "traceCutOff"
            }
        }
    }

    private struct Cycle: Encodable {
        var text: String
        var edges: [Edge]
    }

    /// A wait-for edge. An unknown owner is written as `null` rather than left out.
    private struct Edge: Encodable {
        var waiter: Int
        var mutex: String
        var owner: Int?

        init(_ edge: MutexWaitGraph.Edge) {
            waiter = Int(edge.waiter)
            mutex = HangReportText.hex(edge.mutex)
            owner = edge.owner.map { Int($0) }
        }

        private enum CodingKeys: String, CodingKey {
            case waiter, mutex, owner
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(waiter, forKey: .waiter)
            try container.encode(mutex, forKey: .mutex)
            try container.encode(owner, forKey: .owner)
        }
    }

    /// A thread: `pc` is present when it is running, `syscall` when it is blocked.
    private struct Thread: Encodable {
        var tid: Int
        var main: Bool
        var backtrace: [Frame]
        var backtraceEnd: String?
        var state: String
        var pc: String?
        var syscall: Syscall?
        var mutex: MutexWait?

        init(_ thread: HangReport.Thread) {
            tid = Int(thread.tid)
            main = thread.isMain
            backtrace = thread.frames.map(Frame.init)
            backtraceEnd = thread.framesEnd
            switch thread.state {
            case .running(let pc):
                state = "running"
                self.pc = HangReportText.hex(pc)
            case .blocked(let call):
                state = "blocked"
                syscall = Syscall(call)
            }
            mutex = thread.mutexWait.map(MutexWait.init)
        }
    }

    private struct Syscall: Encodable {
        var number: Int
        var name: String
        var arguments: [String]
        var text: String
        var descriptors: [Descriptor]

        init(_ call: BlockedCall) {
            number = call.number
            name = call.name
            arguments = call.arguments.map(HangReportText.hex)
            text = call.text
            descriptors = call.descriptors.map { Descriptor(argument: $0.argument, fd: Int($0.fd), description: $0.description) }
        }
    }

    private struct Descriptor: Encodable {
        var argument: Int
        var fd: Int
        var description: String?
    }

    /// The mutex a thread waits for. An unknown owner is written as `null` rather than left out.
    private struct MutexWait: Encodable {
        var address: String
        var owner: Int?

        init(_ edge: MutexWaitGraph.Edge) {
            address = HangReportText.hex(edge.mutex)
            owner = edge.owner.map { Int($0) }
        }

        private enum CodingKeys: String, CodingKey {
            case address, owner
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address, forKey: .address)
            try container.encode(owner, forKey: .owner)
        }
    }

    /// The frame's address and its locations, innermost first: functions inlined at the
    /// address, then `function`, the one the frame belongs to.
    private struct Frame: Encodable {
        var pc: String
        var function: String
        var locations: [Location]
        var problem: String?

        init(_ frame: SymbolizedFrame) {
            pc = HangReportText.hex(frame.frame.ip)
            function = frame.function
            locations = frame.locations.map { Location(function: $0.function, file: $0.file, line: $0.line) }
            problem = frame.problem
        }
    }

    private struct Location: Encodable {
        var function: String
        var file: String?
        var line: Int?
    }
}
