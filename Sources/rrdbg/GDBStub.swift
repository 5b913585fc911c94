import Foundation
import GDBServer
import Replayer
import Trace

/// Runs the gdb stub for `replay --gdb` and `debug`.
enum GDBStub {
    /// Where the stub listens.
    enum Endpoint {
        /// A TCP port. `allowRemote` admits every connection, not only the user's own; a
        /// non-loopback `host` needs it.
        case tcp(host: String, port: UInt16, allowRemote: Bool)
        /// A Unix socket created at the path with mode 0600.
        case socket(path: String)
    }

    static func serve(
        _ trace: TraceDirectory, endpoint: Endpoint, launchGDB: Bool, process: Int32? = nil, gdbArguments: [String] = []
    ) throws {
        if let process, try !ProcessTree(trace: trace).processes.contains(where: { $0.pid == process }) {
            throw ReplayError.unreplayable(event: 0, reason: "the recording has no process \(process) (rrdbg ps lists its processes)")
        }
        let listener: any GDBListener
        var admission = ConnectionGate.Admission.user(getuid())
        switch endpoint {
        case .tcp(let host, let port, let allowRemote):
            listener = try TCPListener(host: host, port: port)
            if allowRemote {
                admission = .anyone
                FileHandleWriter.standardError("""
                    rrdbg: warning: listening on \(listener.address) for any user or machine that reaches it: whoever \
                    connects can read everything the trace holds, the program's files, its memory and its recorded \
                    environment (secrets included)

                    """)
            }
        case .socket(let path):
            listener = try UnixSocketListener(path: path)
            SocketFileRemoval.onTerminationSignals(remove: path)
        }
        let target = try ReplayGDBTarget(
            trace: TraceDirectory(path: URL(fileURLWithPath: trace.path).standardizedFileURL.path), process: process)
        let address = listener.address
        // Ctrl-C belongs to gdb, which forwards it to the stub as an interrupt packet.
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var debugger: pid_t = 0
        if launchGDB {
            debugger = try GDBLauncher.spawn(
                ["gdb", "-q", "-ex", "target extended-remote \(address)"] + gdbArguments + [target.executablePath])
        } else {
            FileHandleWriter.standardError("""
                rrdbg: replaying \(trace.path) for gdb on \(address); attach with:
                  gdb -ex 'target extended-remote \(address)' \(target.executablePath)

                """)
        }
        let gate = ConnectionGate(listener: listener, admission: admission, diagnostics: FileHandleWriter.standardError)
        let connection = try gate.nextConnection()
        try GDBSession(target: target, transport: connection, diagnostics: FileHandleWriter.standardError).serve()
        if debugger > 0 { GDBLauncher.wait(debugger) }
    }
}
