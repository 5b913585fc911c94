import ArgumentParser
import Foundation
import Recorder

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program and record its execution.",
        discussion: """
            The program's stdin, stdout, stderr and terminal pass through unchanged. rrdbg exits \
            with the program's status, or 128+N if it died by signal N.
            Example: rrdbg record -- ls -l /
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the trace to this directory.", valueName: "dir"))
    var output: String?

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program and its arguments.", valueName: "program"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty || (command == ["--"]) {
            throw ValidationError("Name the program to record, e.g. 'rrdbg record -- ls -l'.")
        }
    }

    func run() throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        var status: Int32 = 0
        try reportingErrors {
            let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }.sorted()
            let summary = try Recorder.record(RecordOptions(
                program: words[0], arguments: Array(words.dropFirst()), environment: environment,
                outputDirectory: output))
            FileHandle.standardError.write(Data("rrdbg: recorded \(summary.eventCount) events to \(summary.traceDirectory)\n".utf8))
            status = summary.shellStatus
        }
        throw ExitCode(status)
    }
}
