import ArgumentParser
import Foundation
import System
import Trace

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete recordings from the trace directory.",
        discussion: """
            A TRACE without a slash is a name as 'rrdbg ls' shows it (or 'latest'); one with a \
            slash is the path of a trace directory anywhere, e.g. ./mytrace. Only trace \
            directories (directories whose header.json is an rrdbg trace header) are removed, \
            and nothing is removed unless every TRACE is found. Symbolic links are never \
            followed: a TRACE that is a link to a trace removes the link, not the trace. If 'latest' pointed at a removed recording it moves to \
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
            let targets = all ? try everyTrace(in: root) : try traces.map { try locate($0, in: root) }
            let latest = canonicalPath(root.latestPath)
            var removed: Set<String> = []
            for target in targets {
                guard let key = target.key, removed.insert(key).inserted else { continue }
                try delete(target, shownAs: key)
            }
            if let latest, removed.contains(latest) {
                try repointLatest(in: root)
            }
        }
    }

    /// What one argument names: a trace directory, or a symbolic link to one, which is removed
    /// as a link and leaves the trace alone.
    private enum Target {
        case trace(String)
        case link(String)

        /// The same trace or link however it was named, so that naming it twice removes it once.
        var key: String? {
            switch self {
            case .trace(let path):
                return canonicalPath(path)
            case .link(let path):
                let name = (path as NSString).lastPathComponent
                return canonicalPath((path as NSString).deletingLastPathComponent).map { $0 + "/" + name }
            }
        }
    }

    /// Every trace under the root; a directory there whose header does not parse is kept, and
    /// said so.
    private func everyTrace(in root: TraceRoot) throws -> [Target] {
        try root.list().compactMap { entry in
            if case .failure(let problem) = entry.header {
                FileHandle.standardError.write(Data("rrdbg: kept \(entry.directory.path): \(problem)\n".utf8))
                return nil
            }
            return .trace(entry.directory.path)
        }
    }

    /// The trace directory an argument names, refusing anything else. `latest` is the recording
    /// the root's link names, as everywhere else; no other link is followed to delete a trace.
    private func locate(_ argument: String, in root: TraceRoot) throws -> Target {
        let isPath = argument.contains("/")
        if !isPath && argument == TraceRoot.latestLinkName {
            guard let name = readLink(root.latestPath), !name.contains("/") else {
                throw RemovalError.unknown(argument, root: root.path)
            }
            return try locate(name, in: root)
        }
        let path = isPath ? argument : root.path + "/" + argument
        var info = stat()
        // Hidden names under the root are temporary files and removals in progress, not traces.
        guard isPath || !argument.hasPrefix("."), lstat(path, &info) == 0 else {
            throw isPath ? RemovalError.missing(path) : RemovalError.unknown(argument, root: root.path)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            try requireTrace(at: path)
            return .trace(path)
        case S_IFLNK:
            try requireTrace(at: path)
            return .link(path)
        default:
            throw RemovalError.notATrace(path, reason: "it is not a directory")
        }
    }

    /// Refuses a directory unless its header parses as an rrdbg trace's: a web project's
    /// `header.json` does not make its directory a trace.
    private func requireTrace(at path: String) throws {
        let directory = TraceDirectory(path: path)
        var info = stat()
        guard lstat(directory.headerPath, &info) == 0 else {
            throw RemovalError.notATrace(path, reason: "it has no \(TraceDirectory.headerFileName)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw RemovalError.notATrace(path, reason: "its \(TraceDirectory.headerFileName) is not a regular file")
        }
        do {
            _ = try directory.readHeader()
        } catch {
            throw RemovalError.notATrace(path, reason: "\(error)")
        }
    }

    /// Removes a link as a link. A trace is renamed to a hidden name first, so that it leaves
    /// `ls` at once and a failure halfway through never leaves a trace that looks whole but is
    /// not; nothing under it is followed.
    private func delete(_ target: Target, shownAs shown: String) throws {
        switch target {
        case .link(let path):
            guard unlink(path) == 0 else {
                throw RemovalError.failed(path, reason: String(cString: strerror(errno)))
            }
            FileHandle.standardError.write(Data("rrdbg: removed the link \(shown) (not the trace it leads to)\n".utf8))
        case .trace(let path):
            let parent = (path as NSString).deletingLastPathComponent
            let doomed = parent + "/.removing-" + (path as NSString).lastPathComponent + "-\(getpid())"
            guard rename(path, doomed) == 0 else {
                throw RemovalError.failed(path, reason: String(cString: strerror(errno)))
            }
            try FileTree.remove(doomed)
            FileHandle.standardError.write(Data("rrdbg: removed \(shown)\n".utf8))
        }
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

}

/// `path` with every link resolved, or nil if it leads nowhere.
private func canonicalPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// The contents of a symbolic link, or nil if `path` is not one.
private func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count - 1) }
    guard count >= 0 else { return nil }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Why `rrdbg rm` removed nothing.
enum RemovalError: Error, CustomStringConvertible {
    case unknown(String, root: String)
    case missing(String)
    case notATrace(String, reason: String)
    case failed(String, reason: String)

    var description: String {
        switch self {
        case .unknown(let name, let root):
            return "no recording named '\(name)' in \(root) (see 'rrdbg ls'); nothing was removed"
        case .missing(let path):
            return "nothing at \(path); nothing was removed"
        case .notATrace(let path, let reason):
            return "\(path) is not a trace directory (\(reason)); nothing was removed"
        case .failed(let path, let reason):
            return "cannot remove \(path): \(reason)"
        }
    }
}
