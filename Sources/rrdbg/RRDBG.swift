import ArgumentParser
import Recorder
import System

/// rrdbg's command line.
@main
struct RRDBG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rrdbg",
        abstract: "Record a Linux x86-64 program's execution, then replay it exactly.",
        discussion: """
            rrdbg needs no hardware performance counters: it works in VMs, containers and CI.
            Traces go to $RRDBG_TRACE_DIR, else ~/.local/share/rrdbg, unless --output is given.

            Exit status: record and replay exit with the program's status (128+N if it died by
            signal N). rrdbg's own failures use \(ExitStatus.divergence) (replay diverged from the \
            recording), \(ExitStatus.traceUnusable) (the trace is incomplete, corrupt or not \
            replayable here), \(ExitStatus.cannotExecute) (the program could not be executed) and \
            \(ExitStatus.notFound) (the program was not found).
            """,
        version: Recorder.version,
        subcommands: [Record.self, Replay.self, Debug.self, Hang.self, Dump.self, Info.self, List.self, Processes.self, Pack.self, Remove.self, Timeline.self]
    )

    /// Makes the process safe against closed standard descriptors and `ulimit -f` before any
    /// command runs (see `ProcessStartup`).
    static func main() {
        ProcessStartup.prepare()
        main(nil)
    }
}
