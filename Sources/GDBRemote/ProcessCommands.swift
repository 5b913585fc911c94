/// Parsing for the packets that end or restart the debugged process: `k`, `D`, `vRun`.
/// (`vKill;pid` is a one-liner in `parseVerbose`.)
extension GDBCommand {
    static func parseProcessLifetime(_ kind: UInt8, _ arguments: PacketSlice, packet: PacketSlice) -> GDBCommand {
        if kind == UInt8(ascii: "k") {
            return arguments.isEmpty ? .kill : .unknown(packet.text)
        }
        if arguments.isEmpty {
            return .detach(pid: nil)
        }
        guard let pidText = arguments.after(";"), let pid = pidText.hexNumber else {
            return .malformed("D: expected D;pid")
        }
        return .detach(pid: pid)
    }

    /// `vRun;file;arg;…`, every field hex-encoded. gdb sends the file name empty when the user
    /// did not set `remote exec-file`, meaning "the program you already have", so that becomes
    /// nil. Arguments are kept exactly, including empty ones: `vRun;;` is an empty file name
    /// and one empty argument.
    static func parseRun(_ text: PacketSlice) -> GDBCommand {
        let fields = text.parts(separatedBy: ";")
        guard let file = (fields.first ?? text).hexText else {
            return .malformed("vRun: file name is not hex")
        }
        var arguments: [String] = []
        for field in fields.dropFirst() {
            guard let argument = field.hexText else { return .malformed("vRun: argument is not hex") }
            arguments.append(argument)
        }
        return .run(program: file.isEmpty ? nil : file, arguments: arguments)
    }
}
