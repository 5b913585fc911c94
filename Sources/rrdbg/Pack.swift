import ArgumentParser
import Foundation
import System
import Trace

struct Pack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bundle a trace into one file that replays on any machine.",
        discussion: """
            The bundle holds everything replay needs: the header, the events and every archived \
            executable and library, each stored once. Every command that takes a trace accepts \
            the bundle's path as it is (rrdbg replay counter-0.rrdbg); it is unpacked into \
            $XDG_CACHE_HOME/rrdbg/bundles (default ~/.cache/rrdbg/bundles) on first use and \
            checked on every use. A recording that did not finish can be packed too: it replays \
            as far as it got. Bundles hold file contents and the environment, so they are \
            created private (0600). -o - writes the bundle to standard output; a device or FIFO \
            is written through, a symbolic link to a file replaces the file it names, and \
            nothing else is replaced.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write the bundle to this file, into this directory, or to standard output for - (default: TRACE-NAME.rrdbg in the current directory).",
        valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Trace directory, name or bundle (default: the latest recording).", valueName: "trace"))
    var trace: String?

    func run() throws {
        try reportingErrors {
            let directory = try TraceLocator.resolve(trace)
            let name = URL(fileURLWithPath: directory.path).standardizedFileURL.lastPathComponent
            let destination = OutputPath.resolve(output, defaultName: name + ".rrdbg")
            let summary = try TraceBundleWriter.pack(directory, to: destination)
            let size = TraceSize.human(Int64(summary.byteCount))
            FileHandle.standardError.write(Data(
                "rrdbg: packed \(directory.path) into \(destination.description) (\(summary.entryCount) files, \(size))\n".utf8))
            if !summary.header.complete {
                FileHandle.standardError.write(Data(
                    "rrdbg: note: the recording did not finish; the bundle replays as far as it got\n".utf8))
            }
        }
    }
}
