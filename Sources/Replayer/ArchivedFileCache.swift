import Foundation
import System
import Trace

/// Keeps the most recently used archived files in memory: ld.so maps each library several
/// times in a row (the whole file, then each segment), and each mapping needs its contents.
final class ArchivedFileCache {
    private var recent: [(hash: String, contents: [UInt8])] = []
    private let capacity = 4

    func contents(of hash: String, in trace: TraceDirectory) throws -> [UInt8] {
        if let index = recent.firstIndex(where: { $0.hash == hash }) {
            let entry = recent.remove(at: index)
            recent.append(entry)
            return entry.contents
        }
        let file = try trace.openArchivedFile(hash)
        defer { try? file.close() }
        let contents = try file.readAll()
        recent.append((hash, contents))
        if recent.count > capacity { recent.removeFirst() }
        return contents
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError.unreplayable(event: 0, reason: "cannot read the archived file \(path)")
        }
        return [UInt8](data)
    }
}
