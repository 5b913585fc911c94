import ArgumentParser
import Foundation
import Trace

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete recordings from the trace directory.",
        discussion: """
            A TRACE without a slash is a name as 'rrdbg ls' shows it (or 'latest'); one with a \
            slash is the path of a trace directory anywhere, e.g. ./mytrace. Only trace \
            directories (directories with a header.json) are removed, and nothing is removed \
            unless every TRACE is found. If 'latest' pointed at a removed recording it moves to \
            the newest one left, or goes away with the last one.
            """
    )

    @Flag(help: "Remove every recording in the trace directory.")
    var all = false

    @Argument(help: ArgumentHelp("Names or paths of the traces to remove.", valueName: "trace"))
    var traces: [String] = []

    func validate() throws {
        if all && !traces.isEmpty {
            throw ValidationError("Give either trace names or --all, not both.")
        }
        if !all && traces.isEmpty {
            throw ValidationError("Name the traces to remove (see 'rrdbg ls'), or use --all.")
        }
    }

    func run() throws {
        try reportingErrors {
            let root = try TraceLocator.root()
            let targets = all ? try root.list().map(\.directory) : try traces.map { try locate($0, in: root) }
            let latest = canonicalPath(root.latestPath)
            var removed: Set<String> = []
            for target in targets {
                guard let path = canonicalPath(target.path), removed.insert(path).inserted else { continue }
                try delete(path)
                FileHandle.standardError.write(Data("rrdbg: removed \(path)\n".utf8))
            }
            if let latest, removed.contains(latest) {
                try repointLatest(in: root)
            }
        }
    }

    /// The trace directory an argument names, refusing anything else.
    private func locate(_ argument: String, in root: TraceRoot) throws -> TraceDirectory {
        let isPath = argument.contains("/")
        let path = isPath ? argument : root.path + "/" + argument
        var isDirectory: ObjCBool = false
        // Hidden names under the root are temporary files and removals in progress, not traces.
        guard isPath || !argument.hasPrefix("."), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        else { throw isPath ? RemovalError.missing(path) : RemovalError.unknown(argument, root: root.path) }
        let header = path + "/" + TraceDirectory.headerFileName
        guard isDirectory.boolValue, FileManager.default.fileExists(atPath: header) else {
            throw RemovalError.notATrace(path)
        }
        return TraceDirectory(path: path)
    }

    /// Renames the trace to a hidden name first, so that it leaves `ls` at once and a failure
    /// halfway through never leaves a trace that looks whole but is not.
    private func delete(_ path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let doomed = parent + "/.removing-" + (path as NSString).lastPathComponent + "-\(getpid())"
        guard rename(path, doomed) == 0 else {
            throw RemovalError.failed(path, reason: String(cString: strerror(errno)))
        }
        try FileManager.default.removeItem(atPath: doomed)
    }

    /// Points `latest` at the most recently started recording that is left, or removes it.
    private func repointLatest(in root: TraceRoot) throws {
        let remaining = try root.list().compactMap { entry -> (name: String, start: Double)? in
            guard case .success(let header) = entry.header else { return nil }
            return (entry.name, header.startTime)
        }
        if let newest = remaining.max(by: { $0.start < $1.start }) {
            try root.pointLatest(at: newest.name)
        } else {
            unlink(root.latestPath)
        }
    }

    private func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Why `rrdbg rm` removed nothing.
enum RemovalError: Error, CustomStringConvertible {
    case unknown(String, root: String)
    case missing(String)
    case notATrace(String)
    case failed(String, reason: String)

    var description: String {
        switch self {
        case .unknown(let name, let root):
            return "no recording named '\(name)' in \(root) (see 'rrdbg ls'); nothing was removed"
        case .missing(let path):
            return "nothing at \(path); nothing was removed"
        case .notATrace(let path):
            return "\(path) is not a trace directory (it has no header.json); nothing was removed"
        case .failed(let path, let reason):
            return "cannot remove \(path): \(reason)"
        }
    }
}
