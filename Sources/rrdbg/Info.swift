import ArgumentParser
import Foundation
import Syscalls
import Trace

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a trace: command, duration, events, size and compression."
    )

    @Argument(help: ArgumentHelp("Trace directory or name (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func run() throws {
        try reportingErrors {
            let directory = try TraceLocator.resolve(trace)
            let header = try directory.readHeader()
            let eventsSize = TraceSize.bytes(of: directory.eventsPath)
            let totalSize = TraceSize.bytes(of: directory.path)
            var lines: [(String, String)] = [
                ("trace", directory.path),
                ("command", header.command.map(SyscallFormatter.printable).joined(separator: " ")),
                ("executable", SyscallFormatter.printable(header.executable)),
                ("cwd", SyscallFormatter.printable(header.cwd)),
                ("recorded", Date(timeIntervalSince1970: header.startTime).description),
            ]
            if let end = header.endTime {
                lines.append(("duration", String(format: "%.3f s", end - header.startTime)))
            }
            lines.append(("complete", header.complete ? "yes" : "no (the recorder did not finish)"))
            if let endReason = header.endReason, header.exitStatus == nil {
                lines.append(("ended", SyscallFormatter.printable(endReason)))
            }
            if let status = header.exitStatus {
                switch status {
                case .exited(let code): lines.append(("exit status", "\(code)"))
                case .killed(let signal, _): lines.append(("exit status", "killed by signal \(signal) (\(status.shellStatus))"))
                }
            }
            if header.complete {
                lines.append(("events", "\(header.eventCount)"))
            } else {
                let readable = try ReadableEvents.count(in: directory)
                lines.append(("events", "\(readable.count) readable\(readable.truncated ? " (the last frame is cut off)" : "")"))
            }
            lines.append(("size", "\(TraceSize.human(totalSize)) on disk (events \(TraceSize.human(eventsSize)), files \(TraceSize.human(totalSize - eventsSize)))"))
            if eventsSize > 0 {
                lines.append(("compression", String(format: "%.1fx (%@ of event data)", Double(header.bytesRecorded) / Double(eventsSize), TraceSize.human(header.bytesRecorded))))
            }
            if header.cpuidFaulting == false {
                lines.append(("cpuid", "ran natively (this CPU has no cpuid faulting); replays on the same CPU model only"))
            }
            lines.append(("format", "version \(header.formatVersion), rrdbg \(SyscallFormatter.printable(header.rrdbgVersion))"))
            for warning in header.warnings { lines.append(("warning", SyscallFormatter.printable(warning))) }
            if header.possiblyUnreplayable { lines.append(("replayable", "possibly not: see the warnings")) }
            for (key, value) in lines { print("\((key + ":").rightPadded(to: 13)) \(value)") }
        }
    }
}

/// How much of an unfinished trace can be read.
enum ReadableEvents {
    static func count(in directory: TraceDirectory) throws -> (count: Int, truncated: Bool) {
        let reader = try TraceReader(directory: directory)
        var count = 0
        while try reader.next() != nil { count += 1 }
        return (count, reader.isTruncated)
    }
}

/// Sizes on disk, for `info` and `ls`.
enum TraceSize {
    static func bytes(of path: String) -> Int64 {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        if !isDirectory.boolValue {
            return (try? manager.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        }
        let children = (try? manager.subpathsOfDirectory(atPath: path)) ?? []
        return children.reduce(0) { total, child in
            let attributes = try? manager.attributesOfItem(atPath: path + "/" + child)
            return total + ((attributes?[.type] as? FileAttributeType) == .typeRegular ? (attributes?[.size] as? Int64 ?? 0) : 0)
        }
    }

    static func human(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
