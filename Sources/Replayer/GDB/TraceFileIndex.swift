import Foundation
import Trace

/// Every file a trace archived, by the names the recording saw it under.
enum TraceFileIndex {
    /// Maps recorded paths to the archived copies in `files/`, from the exec events' mappings
    /// and every file-backed mmap, plus the executable under the name the user gave. The
    /// executable is the first program process `process` ran (the first process's by default).
    static func build(_ trace: TraceDirectory, process: Int32? = nil) throws -> (paths: [String: String], executable: String) {
        let reader = try TraceReader(directory: trace)
        var paths: [String: String] = [:]
        var executable = ""
        var first = true
        // A forked process that never executed anything runs its parent's program.
        var firstExecutable = ""
        while let event = try reader.next() {
            switch event {
            case .exec(let exec):
                for mapping in exec.mappings {
                    if let hash = mapping.fileHash { paths[mapping.path] = try trace.path(forFile: hash) }
                }
                defer { first = false }
                if executable.isEmpty && (process == nil || process == exec.tid) {
                    // gdb loads the executable itself, by this path.
                    executable = try trace.checkedPath(forFile: exec.executableHash)
                }
                guard first else { continue }
                firstExecutable = try trace.checkedPath(forFile: exec.executableHash)
                let given = reader.header.executable
                let absolute = given.hasPrefix("/") ? given : reader.header.cwd + "/" + given
                paths[(absolute as NSString).standardizingPath] = firstExecutable
            case .syscall(let call):
                if let file = call.mappedFile { paths[file.path] = try trace.path(forFile: file.fileHash) }
            default:
                continue
            }
        }
        return (paths, executable.isEmpty ? firstExecutable : executable)
    }
}
