import ArgumentParser
import Foundation
import Syscalls
import Trace

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the recordings in the trace directory."
    )

    func run() throws {
        try reportingErrors {
            let root = try TraceLocator.root()
            let entries = try root.list()
            guard !entries.isEmpty else {
                print("no recordings in \(root.path)")
                return
            }
            for entry in entries {
                let marker = entry.isLatest ? "*" : " "
                let name = SyscallFormatter.printable(entry.name).rightPadded(to: 20)
                switch entry.header {
                case .success(let header):
                    let date = Date(timeIntervalSince1970: header.startTime).description
                    let status = header.exitStatus.map { "status \($0.shellStatus)" } ?? (header.complete ? "" : "incomplete")
                    let size = TraceSize.human(TraceSize.bytes(of: entry.directory.path))
                    print("\(marker) \(name) \(date)  \(status.rightPadded(to: 11)) \(size.leftPadded(to: 10))  \(header.command.map(SyscallFormatter.printable).joined(separator: " "))")
                case .failure(let error):
                    print("\(marker) \(name) unreadable: \(SyscallFormatter.printable(error.description))")
                }
            }
        }
    }
}
