import ArgumentParser
import Foundation
import Replayer

struct Hang: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what every thread was doing where a recording ended (a hang report).",
        discussion: """
            The trace is replayed to its end (or to --event N) and each thread is shown: running, \
            or blocked in which system call on which file descriptor, with a backtrace, the mutex \
            it waits for and the thread holding it, and any cycle of threads waiting for each \
            other (a deadlock). Record a program that hangs with `rrdbg record --timeout SECONDS` \
            or stop it with Ctrl-C; a recording of a program that exited is examined just before \
            its exit. Thread ids are those the program saw when it was recorded.
            """
    )

    @Option(help: ArgumentHelp("Examine the program just after this event (as `rrdbg dump` numbers them).", valueName: "N"))
    var event: Int?

    @Flag(help: "Print the report as one JSON document.")
    var json = false

    @Argument(help: ArgumentHelp("Trace directory or name (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func validate() throws {
        if let event, event < 0 { throw ValidationError("--event must be 0 or more") }
    }

    func run() throws {
        try reportingErrors {
            let report = try HangReport(trace: try TraceLocator.resolve(trace), stopAfter: event)
            let output = json ? try HangReportJSON.document(report) : HangReportText.text(report)
            try ConsoleOutput.write(output)
        }
    }
}
