import ArgumentParser
import Foundation
import Recorder

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program and record its execution.",
        discussion: """
            The program's stdin, stdout, stderr and terminal pass through unchanged. rrdbg exits \
            with the program's status, or 128+N if it died by signal N.
            To capture a hang, end the recording with --timeout or Ctrl-C (or SIGTERM): every \
            thread is stopped where it is, the trace records that final state, and rrdbg exits \
            with 0 (timeout) or 130 (interrupt). Replay and gdb then reach that same state.
            Example: rrdbg record -- ls -l /
            Example: rrdbg record --timeout 3 ./deadlocking-server
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the trace to this directory.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("End the recording after this many seconds if the program is still running.", valueName: "seconds"))
    var timeout: Double?

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program and its arguments.", valueName: "program"))
    var command: [String] = []

    func validate() throws {
        // The program's own arguments pass through untouched, so help is asked for before it.
        if command == ["--help"] || command == ["-h"] { throw CleanExit.helpRequest(self) }
        if command.isEmpty || (command == ["--"]) {
            throw ValidationError("Name the program to record, e.g. 'rrdbg record -- ls -l'.")
        }
        if let timeout, !(timeout > 0) {
            throw ValidationError("--timeout needs a positive number of seconds.")
        }
    }

    func run() throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        var status: Int32 = 0
        try reportingErrors {
            let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }.sorted()
            let summary = try Recorder.record(RecordOptions(
                program: words[0], arguments: Array(words.dropFirst()), environment: environment,
                outputDirectory: output, timeout: timeout))
            if let reason = summary.interruptedBy {
                ConsoleOutput.message("rrdbg: recording ended by \(reason); the program was still running and every thread's state is in the trace\n")
            }
            ConsoleOutput.message("rrdbg: recorded \(summary.eventCount) events to \(summary.traceDirectory)\n")
            status = summary.shellStatus
        }
        throw ExitCode(status)
    }
}
