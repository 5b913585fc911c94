import Syscalls
import Trace

/// The words the timeline uses for what it read from a trace, kept apart from the bookkeeping
/// that decides where they go.
extension TraceTimeline {
    /// A call as strace shows it, without the result unless one is given, such as
    /// `futex(0x5555555580a0, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0)`.
    static func call(_ syscall: SyscallEvent, result: Int64? = nil) -> String {
        let line = SyscallFormatter.format(
            number: syscall.number, arguments: syscall.arguments, strings: syscall.strings, result: result)
        // The formatter shows a call without a result as `= ?`, which says nothing here.
        return result == nil && line.hasSuffix(" = ?") ? String(line.dropLast(4)) : line
    }

    /// How a thread group ended, such as `exited with status 0` or `killed by SIGSEGV`.
    static func describe(_ status: ExitEvent.Status) -> String {
        switch status {
        case .exited(let code): "exited with status \(code)"
        case .killed(let signal, let coreDumped):
            "killed by \(SyscallFormatter.signalName(Int(signal)))\(coreDumped ? " (core dumped)" : "")"
        }
    }

    /// Where a signal came from, for its mark's tooltip.
    static func origin(of signal: SignalEvent) -> String {
        let place = "rip=0x\(String(signal.registers.rip, radix: 16))"
        return switch signal.origin {
        case .synchronous: "raised by the instruction at \(place)"
        case .atSyscallExit: "delivered as a system call returned, at \(place)"
        case .asynchronous: "arrived in user code at \(place)"
        }
    }

    /// The label of the marks where rrdbg ended a recording, such as `recording ended (timeout)`.
    static func recordingEnded(_ reason: String?) -> String {
        reason.map { "recording ended (\($0))" } ?? "recording ended"
    }

    /// The recorded program's name, such as `server` for `./build/server --port 80`.
    static func programName(_ header: TraceHeader) -> String {
        baseName(header.command.first ?? header.executable)
    }

    /// The name of the program an `exec` event loaded: its executable's file, as mapped.
    static func programName(_ exec: ExecEvent) -> String {
        exec.mappings.first { $0.fileHash == exec.executableHash }.map { baseName($0.path) } ?? ""
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
