import Foundation
import Trace

/// Every file a trace archived, by the names the recording saw it under.
enum TraceFileIndex {
    /// Maps recorded paths to the archived copies in `files/`, from the exec event's mappings
    /// and every file-backed mmap, plus the executable under the name the user gave.
    static func build(_ trace: TraceDirectory) throws -> (paths: [String: String], executable: String) {
        let reader = try TraceReader(directory: trace)
        var paths: [String: String] = [:]
        var executable = ""
        while let event = try reader.next() {
            switch event {
            case .exec(let exec):
                for mapping in exec.mappings {
                    if let hash = mapping.fileHash { paths[mapping.path] = try trace.path(forFile: hash) }
                }
                executable = try trace.path(forFile: exec.executableHash)
                let given = reader.header.executable
                let absolute = given.hasPrefix("/") ? given : reader.header.cwd + "/" + given
                paths[(absolute as NSString).standardizingPath] = executable
            case .syscall(let call):
                if let file = call.mappedFile { paths[file.path] = try trace.path(forFile: file.fileHash) }
            default:
                continue
            }
        }
        return (paths, executable)
    }
}
