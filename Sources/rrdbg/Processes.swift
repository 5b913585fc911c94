import ArgumentParser
import Foundation
import Replayer
import Syscalls
import Trace

struct Processes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List the processes of a recording.",
        discussion: """
            One line per process the recorded program started, in order of creation: its \
            recorded pid, its parent's pid, how it ended, and the last command it executed. \
            Children of a process that had not executed anything yet show their parent's command.
            Example: rrdbg ps
            """
    )

    @Argument(help: ArgumentHelp("Trace directory, name or .rrdbg bundle (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func run() throws {
        try reportingErrors {
            let tree = try ProcessTree(trace: try TraceLocator.resolve(trace))
            var text = "    PID    PPID  EXIT        COMMAND\n"
            for process in tree.processes {
                let parent = process.ppid.map(String.init) ?? "-"
                text += "\(String(process.pid).leftPadded(to: 7)) \(parent.leftPadded(to: 7))  "
                text += "\(Self.describe(process.exit).rightPadded(to: 10))  \(process.command.map(SyscallFormatter.printable).joined(separator: " "))\n"
            }
            try ConsoleOutput.write(text)
        }
    }

    private static func describe(_ exit: ExitEvent.Status?) -> String {
        switch exit {
        case .exited(let code)?: return String(code)
        case .killed(let signal, _)?: return "signal \(signal)"
        case nil: return "running"
        }
    }
}
