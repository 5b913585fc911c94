import ArgumentParser
import Foundation
import Reports
import System
import Trace

/// `rrdbg timeline`: a trace's threads over its events, as one HTML page, because a schedule of
/// thousands of events is read at a glance as a picture and not at all as `rrdbg dump` lines.
struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw what each thread did over a trace, as an HTML page.",
        discussion: """
            One lane per thread, grouped by process, along the trace's events: running, \
            runnable (waiting for the CPU) and blocked in a system call, which the tooltip names, \
            with marks where threads start, exit, get signals or are preempted. A recording \
            ended by --timeout or Ctrl-C shows each thread where it was left, so a deadlock \
            reads as lanes blocked to the end. The page is self-contained (no network access); \
            it holds system call arguments and paths from the trace, so it is created private \
            (0600). -o - writes it to standard output; a device or FIFO is written through, a \
            symbolic link to a file replaces the file it names, and nothing else is replaced.
            Example: rrdbg timeline -o hang.html server-3
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write the page to this file, into this directory, or to standard output for - (default: TRACE-NAME.html in the current directory).",
        valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Trace directory, name or bundle (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func run() throws {
        try reportingErrors {
            let directory = try TraceLocator.resolve(trace)
            let reader = try TraceReader(directory: directory)
            let name = traceName(of: directory)
            var timeline = TraceTimeline(header: reader.header, title: name)
            while let event = try reader.next() {
                timeline.add(event)
            }
            let model = timeline.model()
            let destination = OutputPath.resolve(output, defaultName: name + ".html")
            // The page holds what the program read and wrote, so it is as private as the trace.
            try OutputFile.write(Array(TimelineHTML.render(model).utf8), to: destination, mode: 0o600)
            let threads = model.lanes.count == 1 ? "1 thread" : "\(model.lanes.count) threads"
            FileHandle.standardError.write(Data(
                "rrdbg: wrote the timeline of \(directory.path) (\(threads), \(model.eventCount) events) to \(destination.description)\n".utf8))
            if reader.isTruncated {
                FileHandle.standardError.write(Data(
                    "rrdbg: note: the trace ends in a cut-off frame (the recorder was probably killed); the page shows the events before it\n".utf8))
            }
        }
    }

    /// The name the user knows the trace by: a bundle's file name without `.rrdbg` (its
    /// directory is named by a digest in the bundle cache), else the directory's name.
    private func traceName(of directory: TraceDirectory) -> String {
        var isDirectory: ObjCBool = false
        if let trace, FileManager.default.fileExists(atPath: trace, isDirectory: &isDirectory), !isDirectory.boolValue {
            let file = URL(fileURLWithPath: trace)
            return file.pathExtension == "rrdbg" ? file.deletingPathExtension().lastPathComponent : file.lastPathComponent
        }
        return URL(fileURLWithPath: directory.path).standardizedFileURL.lastPathComponent
    }
}
