import Foundation
import GDBServer
import Replayer
import Trace

/// Runs the gdb stub for `replay --gdb` and `debug`.
enum GDBStub {
    static func serve(
        _ trace: TraceDirectory, host: String, port: UInt16, launchGDB: Bool, process: Int32? = nil,
        gdbArguments: [String] = []
    ) throws {
        if let process, try !ProcessTree(trace: trace).processes.contains(where: { $0.pid == process }) {
            throw ReplayError.unreplayable(event: 0, reason: "the recording has no process \(process) (rrdbg ps lists its processes)")
        }
        let listener = try TCPListener(host: host, port: port)
        let target = try ReplayGDBTarget(
            trace: TraceDirectory(path: URL(fileURLWithPath: trace.path).standardizedFileURL.path), process: process)
        let address = "\(host):\(listener.port)"
        // Ctrl-C belongs to gdb, which forwards it to the stub as an interrupt packet.
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var debugger: pid_t = 0
        if launchGDB {
            debugger = try GDBLauncher.spawn(
                ["gdb", "-q", "-ex", "target extended-remote \(address)"] + gdbArguments + [target.executablePath])
        } else {
            FileHandle.standardError.write(Data("""
                rrdbg: replaying \(trace.path) for gdb on \(address); attach with:
                  gdb -ex 'target extended-remote \(address)' \(target.executablePath)

                """.utf8))
        }
        let connection = try listener.accept()
        try GDBSession(target: target, transport: connection, diagnostics: FileHandleWriter.standardError).serve()
        if debugger > 0 { GDBLauncher.wait(debugger) }
    }
}
