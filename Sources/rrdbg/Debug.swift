import ArgumentParser
import Foundation

struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a trace under gdb, started and attached for you.",
        discussion: """
            Like 'rrdbg replay --gdb', but rrdbg also starts gdb connected to the replay, stopped \
            at the program's first instruction. Arguments after '--' go to gdb, e.g. \
            rrdbg debug -- -ex 'break main'.
            """
    )

    @Argument(help: ArgumentHelp("Trace directory or name (default: the latest recording).", valueName: "trace"))
    var trace: String?

    @Option(name: [.customShort("p"), .customLong("pid")], help: ArgumentHelp(
        "Debug this recorded process (see 'rrdbg ps') instead of the first.", valueName: "pid"))
    var process: Int32?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Extra gdb arguments.", valueName: "gdb-args"))
    var gdbArguments: [String] = []

    func run() throws {
        try reportingErrors {
            try GDBStub.serve(
                try TraceLocator.resolve(trace), endpoint: .tcp(host: "127.0.0.1", port: 0, allowRemote: false), launchGDB: true,
                process: process,
                gdbArguments: gdbArguments)
        }
    }
}
