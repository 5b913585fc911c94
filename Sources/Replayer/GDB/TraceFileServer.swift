import Foundation
import GDBRemote
import Glibc
import Trace

/// Serves gdb's host-file requests (`vFile:`) from the trace, so gdb finds the executable and
/// every library with their symbols even where the original files are gone or different.
///
/// Only files the trace archived can be opened: the stub may listen beyond loopback, and it
/// must not hand out arbitrary files of the machine it runs on.
final class TraceFileServer {
    /// Archived file path by every name it was recorded under.
    private let pathsByName: [String: String]
    /// Archived file paths by base name, for paths recorded through a different symlink.
    private let pathsByBaseName: [String: [String]]
    private let traceDirectory: String
    private var open: [Int: Int32] = [:]
    private var nextDescriptor = 3

    init(index: [String: String], traceDirectory: String) {
        pathsByName = index
        var byBase: [String: [String]] = [:]
        for (name, path) in index {
            byBase[(name as NSString).lastPathComponent, default: []].append(path)
        }
        pathsByBaseName = byBase.mapValues { Array(Set($0)) }
        self.traceDirectory = traceDirectory
    }

    deinit {
        open.values.forEach { close($0) }
    }

    /// The archived copy for a path gdb asks for: the exact recorded name, its resolved form on
    /// this machine, a unique base-name match, or a file inside the trace itself.
    func archivedPath(for name: String) -> String? {
        if let path = pathsByName[name] { return path }
        if let resolved = realpath(name, nil) {
            defer { free(resolved) }
            let resolvedName = String(cString: resolved)
            if let path = pathsByName[resolvedName] { return path }
            if resolvedName.hasPrefix(traceDirectory + "/") { return resolvedName }
        }
        if let candidates = pathsByBaseName[(name as NSString).lastPathComponent], candidates.count == 1 {
            return candidates[0]
        }
        return nil
    }

    /// Opens the archived copy of `path` read-only; the handle is for the other calls. A copy
    /// that is not a regular file (a symlink planted in the trace could name any file of this
    /// machine) is refused, and the refusal explained on rrdbg's stderr.
    func openFile(_ path: String, flags: FileIOOpenFlags) throws(FileIOErrno) -> Int {
        guard flags.isReadOnly else { throw .accessDenied }
        guard let archived = archivedPath(for: path) else { throw .noSuchFile }
        let fd: Int32
        do {
            fd = try TraceDirectory.openTraceFile(archived).rawValue
        } catch TraceError.refusedFile(let file, let reason) {
            FileHandleWriter.standardError("rrdbg: refusing to serve \(file) to gdb: \(reason)\n")
            throw .accessDenied
        } catch TraceError.systemCall(let failure) {
            throw FileIOErrno(linuxErrno: failure.code)
        } catch {
            throw .accessDenied
        }
        let handle = nextDescriptor
        nextDescriptor += 1
        open[handle] = fd
        return handle
    }

    func readFile(_ handle: Int, count: Int, offset: UInt64) throws(FileIOErrno) -> [UInt8] {
        guard let fd = open[handle] else { throw .badFileDescriptor }
        var buffer = [UInt8](repeating: 0, count: max(0, min(count, 1 << 16)))
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(Int64(bitPattern: offset))) }
        guard got >= 0 else { throw FileIOErrno(linuxErrno: errno) }
        return Array(buffer[0..<got])
    }

    func closeFile(_ handle: Int) throws(FileIOErrno) {
        guard let fd = open.removeValue(forKey: handle) else { throw .badFileDescriptor }
        close(fd)
    }

    func statFile(_ handle: Int) throws(FileIOErrno) -> FileIOStat {
        guard let fd = open[handle] else { throw .badFileDescriptor }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIOErrno(linuxErrno: errno) }
        return FileIOStat(
            device: UInt32(truncatingIfNeeded: info.st_dev), inode: UInt32(truncatingIfNeeded: info.st_ino),
            mode: info.st_mode, linkCount: UInt32(truncatingIfNeeded: info.st_nlink), userID: info.st_uid,
            groupID: info.st_gid, deviceType: UInt32(truncatingIfNeeded: info.st_rdev),
            size: UInt64(info.st_size), blockSize: UInt64(info.st_blksize), blocks: UInt64(info.st_blocks),
            accessTime: UInt32(truncatingIfNeeded: info.st_atim.tv_sec),
            modificationTime: UInt32(truncatingIfNeeded: info.st_mtim.tv_sec),
            changeTime: UInt32(truncatingIfNeeded: info.st_ctim.tv_sec))
    }
}
