import ArgumentParser
import Foundation
import Syscalls
import Trace
import X86Registers

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a trace's events, one per line.",
        discussion: "Each line shows the event index, thread id, kind, and for syscalls the call strace-style."
    )

    @Flag(help: "Print one JSON object per event (JSON lines).")
    var json = false

    @Argument(help: ArgumentHelp("Trace directory or name (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func run() throws {
        try reportingErrors {
            let reader = try TraceReader(directory: try TraceLocator.resolve(trace))
            let output = BufferedOutput()
            var index = 0
            while let event = try reader.next() {
                let line = EventLine(index: index, event: event)
                try output.write(json ? try line.json() : line.text)
                index += 1
            }
            try output.flush()
            if reader.isTruncated {
                throw TruncatedTrace(eventsRead: index)
            }
        }
    }
}

/// The trace's last frame was cut off; everything before it was shown.
struct TruncatedTrace: Error, CustomStringConvertible {
    var eventsRead: Int

    var description: String {
        "the trace ends in a cut-off frame after \(eventsRead) events (the recorder was probably killed)"
    }
}

/// One event as `dump` shows it.
struct EventLine {
    var index: Int
    var event: TraceEvent

    var tid: Int32 { event.tid }

    var kind: String {
        switch event {
        case .exec: return "exec"
        case .syscall: return "syscall"
        case .instruction(let e): return "\(e.kind)"
        case .signal: return "signal"
        case .exit: return "exit"
        case .syscallEntered: return "entered"
        case .asyncPoint: return "async"
        }
    }

    var details: String {
        switch event {
        case .exec(let e):
            return "rip=0x\(String(e.registers.rip, radix: 16)) rsp=0x\(String(e.registers.rsp, radix: 16)) \(e.mappings.count) mappings, executable \(e.executableHash.prefix(12))"
        case .syscall(let e):
            let neverReturns = SyscallTable.descriptor(for: e.number)?.replay == .exit
            var text = SyscallFormatter.format(
                number: e.number, arguments: e.arguments, strings: e.strings, result: neverReturns ? nil : e.result)
            if let file = e.mappedFile { text += " [\(file.path)]" }
            if e.flags.contains(.unknown) { text += " [effects unknown]" }
            return text
        case .instruction(let e):
            switch e.kind {
            case .cpuid:
                return "leaf 0x\(String(e.registers[.rax] & 0xffff_ffff, radix: 16)) = eax 0x\(String(e.rax, radix: 16)) ebx 0x\(String(e.rbx, radix: 16)) ecx 0x\(String(e.rcx, radix: 16)) edx 0x\(String(e.rdx, radix: 16))"
            case .rdtsc, .rdtscp:
                return "= \((e.rdx << 32) | (e.rax & 0xffff_ffff)) at rip=0x\(String(e.registers.rip, radix: 16))"
            }
        case .signal(let e):
            return "\(SyscallFormatter.signalName(Int(e.signal))) (\(e.origin)) at rip=0x\(String(e.registers.rip, radix: 16))"
        case .exit(let e):
            switch e.status {
            case .exited(let code): return "exited with status \(code)"
            case .killed(let signal, let core): return "killed by \(SyscallFormatter.signalName(Int(signal)))\(core ? " (core dumped)" : "")"
            }
        case .syscallEntered(let e):
            let number = Int(truncatingIfNeeded: e.registers.origRax)
            let entry = SyscallEvent(tid: e.tid, registers: e.registers, result: 0)
            return SyscallFormatter.format(number: number, arguments: entry.arguments, strings: [:], result: nil) + " (switched out)"
        case .asyncPoint(let e):
            let bytes = e.pages.reduce(0) { $0 + $1.bytes.count }
            return "\(e.reason) at rip=0x\(String(e.registers.rip, radix: 16)), \(bytes / 4096) pages"
        }
    }

    var text: String {
        "\(String(index).leftPadded(to: 7)) \(String(tid).leftPadded(to: 7)) \(kind.rightPadded(to: 8)) \(details)\n"
    }

    func json() throws -> String {
        var object: [String: Any] = ["index": index, "tid": Int(tid), "kind": kind, "text": details]
        if case .syscall(let e) = event {
            object["number"] = e.number
            object["name"] = SyscallTable.name(of: e.number)
            object["arguments"] = e.arguments.map { NSNumber(value: $0) }
            object["result"] = e.result
            object["memoryWrites"] = e.memoryWrites.reduce(0) { $0 + $1.bytes.count }
        }
        if case .exit(let e) = event { object["status"] = Int(e.status.shellStatus) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Buffers stdout so dumping millions of events is not one write per line.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        try ConsoleOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
