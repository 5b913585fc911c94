import ArgumentParser
import Foundation
import GDBServer
import Replayer
import Trace

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a recorded execution exactly.",
        discussion: """
            Whatever the program wrote to its stdout and stderr is printed again, read from the \
            replaying program's memory. Replay needs neither the original files nor stdin. rrdbg \
            exits with the recorded program's status, or 125 if the replay diverged. A recording \
            ended by --timeout or Ctrl-C replays to the same final state and exits with 0 or 130, \
            as the recording did.
            """
    )

    @Flag(help: "Serve the replay to gdb instead of running it: it stops at the first instruction.")
    var gdb = false

    @Option(help: ArgumentHelp("With --gdb: the port to listen on (default: any free port).", valueName: "port"))
    var port: UInt16?

    @Option(help: ArgumentHelp(
        "With --gdb: the address to listen on (default: 127.0.0.1). Anything but loopback lets other machines read the trace, and needs --allow-remote.",
        valueName: "address"))
    var host: String?

    @Flag(help: "With --gdb: accept gdb connections from anyone who reaches the port, not only from your own user.")
    var allowRemote = false

    @Option(help: ArgumentHelp(
        "With --gdb: listen on a new Unix socket at this path (mode 0600) instead of TCP; attach with 'target extended-remote PATH'.",
        valueName: "path"))
    var socket: String?

    @Option(name: [.customShort("p"), .customLong("pid")], help: ArgumentHelp(
        "With --gdb: debug this recorded process (see 'rrdbg ps') instead of the first, from its first exec, or from its creation if it never executes a program.",
        valueName: "pid"))
    var process: Int32?

    @Argument(help: ArgumentHelp("Trace directory or name (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func validate() throws {
        if socket != nil, host != nil || port != nil || allowRemote {
            throw ValidationError("--socket cannot be combined with --host, --port or --allow-remote.")
        }
        if let host, !allowRemote, !TCPListener.isLoopback(host) {
            throw ValidationError(
                "--host \(host) is not a loopback address: anyone who reaches it could read everything the trace holds "
                    + "(the program's files, memory and environment). Add --allow-remote to listen there anyway.")
        }
    }

    func run() throws {
        var status: Int32 = 0
        try reportingErrors {
            let directory = try TraceLocator.resolve(trace)
            if gdb {
                let endpoint = socket.map { GDBStub.Endpoint.socket(path: $0) }
                    ?? .tcp(host: host ?? "127.0.0.1", port: port ?? 0, allowRemote: allowRemote)
                try GDBStub.serve(directory, endpoint: endpoint, launchGDB: false, process: process)
            } else {
                switch try Replayer(trace: directory).run() {
                case .exited(let recorded):
                    status = recorded
                case .reachedRecordingEnd(let reason):
                    ConsoleOutput.message("rrdbg: replay reached the end of the recording (ended by \(reason) while the program was running)\n")
                    status = TraceHeader.shellStatus(endedBy: reason)
                }
            }
        }
        throw ExitCode(status)
    }
}
