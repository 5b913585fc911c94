import Glibc
import System

/// Packs a trace directory into one bundle file (the layout is `TraceBundleFormat`).
///
/// The bundle is created mode 0600, because it holds everything the trace does, and delivered
/// by `OutputFile`'s policy: a regular file is replaced only once the bundle is complete, so
/// it is always either the old file or a whole new bundle, and a device, a FIFO or standard
/// output is written through, never replaced. A recording that did not finish is packed as it
/// is: the header is copied first and the archived files last, so even a trace that is still
/// being written yields a bundle whose files cover its events.
public enum TraceBundleWriter {
    /// What `pack` wrote.
    public struct Summary: Equatable, Sendable {
        /// Files in the bundle.
        public var entryCount: Int
        /// The bundle's size in bytes.
        public var byteCount: UInt64
        /// The header as packed, read from the same bytes that went into the bundle.
        public var header: TraceHeader
    }

    /// Writes the trace in `directory` as a bundle to `destination`, replacing any file there.
    /// A trace whose header is missing or unreadable is refused; so is one whose archived
    /// files do not match their names, since its bundle could never be opened.
    @discardableResult
    public static func pack(_ directory: TraceDirectory, to destination: OutputFile.Destination) throws -> Summary {
        let headerBytes = try readHeaderBytes(of: directory)
        let header = try TraceHeader.decode(json: headerBytes, path: directory.headerPath)
        let output = try POSIXFile.traceErrors { try OutputFile.create(destination, mode: 0o600) }
        let summary: Summary
        do {
            var packer = Packer(
                directory: directory, output: output.descriptor.rawValue, outputPath: output.descriptor.path ?? "")
            summary = try packer.writeBundle(headerBytes: headerBytes, header: header)
        } catch {
            output.discard()
            throw error
        }
        try POSIXFile.traceErrors { try output.commit() }
        return summary
    }

    private static func readHeaderBytes(of directory: TraceDirectory) throws -> [UInt8] {
        let descriptor: Int32
        do {
            descriptor = try POSIXFile.openRegularFile(directory.headerPath)
        } catch TraceError.systemCall(let failure) where failure.code == ENOENT {
            throw TraceError.missingHeader(path: directory.path)
        }
        defer { Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes {
                try POSIXFile.read(descriptor, into: $0, path: directory.headerPath)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > 16 << 20 {
                throw TraceError.unreadableHeader(path: directory.headerPath, reason: "larger than 16 MiB")
            }
        }
    }
}

/// The state of one bundle being written: where the output is and what went into it.
private struct Packer {
    let directory: TraceDirectory
    let output: Int32
    let outputPath: String
    var entries: [TraceBundleFormat.IndexEntry] = []
    var contentSize: UInt64 = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 20)

    init(directory: TraceDirectory, output: Int32, outputPath: String) {
        self.directory = directory
        self.output = output
        self.outputPath = outputPath
    }

    /// Header placeholder, the header file, the streams, the archived files, the index, and
    /// finally the real header over the placeholder.
    mutating func writeBundle(headerBytes: [UInt8], header: TraceHeader) throws -> TraceBundleWriter.Summary {
        try write([UInt8](repeating: 0, count: TraceBundleFormat.headerSize))
        try write(headerBytes)
        var hasher = SHA256()
        hasher.update(headerBytes)
        try addEntry(TraceBundleFormat.IndexEntry(
            name: TraceDirectory.headerFileName, executable: false, size: UInt64(headerBytes.count),
            digest: hasher.finalize()))
        let filesName = TraceDirectory.filesDirectoryName
        try addTree(at: directory.path, prefix: "") { $0 != TraceDirectory.headerFileName && $0 != filesName }
        // Listed only now, so files archived while the streams were copied are included.
        if let info = try POSIXFile.status(directory.filesPath), POSIXFile.isDirectory(info) {
            try addTree(at: directory.filesPath, prefix: filesName + "/") { _ in true }
        }
        let index = TraceBundleFormat.encodeIndex(entries)
        try write(index)
        var indexHasher = SHA256()
        indexHasher.update(index)
        let bundleHeader = TraceBundleFormat.Header(
            indexOffset: UInt64(TraceBundleFormat.headerSize) + contentSize, indexLength: UInt64(index.count),
            indexDigest: indexHasher.finalize())
        guard lseek(output, 0, SEEK_SET) == 0 else {
            throw TraceError.systemCall(Errno(errno, operation: "seek in", path: outputPath))
        }
        try write(bundleHeader.encoded())
        return TraceBundleWriter.Summary(
            entryCount: entries.count, byteCount: bundleHeader.indexOffset + bundleHeader.indexLength,
            header: header)
    }

    /// Adds every regular file under `path` whose name passes `include`, in name order.
    /// Hidden and temporary names belong to writers that have not finished, so they are left out.
    private mutating func addTree(at path: String, prefix: String, include: (String) -> Bool) throws {
        let names = try POSIXFile.directoryEntries(path).filter { name in
            include(name) && !name.hasPrefix(".") && !name.contains(".tmp-")
        }
        for name in names.sorted() {
            let childPath = path + "/" + name
            guard let info = try POSIXFile.status(childPath) else { continue }
            if POSIXFile.isDirectory(info) {
                try addTree(at: childPath, prefix: prefix + name + "/") { _ in true }
            } else if POSIXFile.isRegularFile(info) {
                try addFile(at: childPath, name: prefix + name)
            }
        }
    }

    /// Copies one file into the bundle, hashing it on the way.
    private mutating func addFile(at path: String, name: String) throws {
        let input = try POSIXFile.openRegularFile(path)
        defer { Glibc.close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else {
            throw TraceError.systemCall(Errno(errno, operation: "inspect", path: path))
        }
        var hasher = SHA256()
        var size: UInt64 = 0
        while true {
            let count = try chunk.withUnsafeMutableBytes { try POSIXFile.read(input, into: $0, path: path) }
            if count == 0 { break }
            try chunk.withUnsafeBytes { raw in
                let piece = UnsafeRawBufferPointer(rebasing: raw[..<count])
                hasher.update(piece)
                try POSIXFile.writeAll(output, piece, path: outputPath)
            }
            size += UInt64(count)
        }
        try addEntry(TraceBundleFormat.IndexEntry(
            name: name, executable: info.st_mode & S_IXUSR != 0, size: size, digest: hasher.finalize()))
    }

    /// Records an entry whose contents were just written, refusing names a reader would refuse.
    private mutating func addEntry(_ entry: TraceBundleFormat.IndexEntry) throws {
        if let problem = TraceBundleFormat.problem(withName: entry.name, digest: entry.digest) {
            throw TraceBundleError.damagedTrace(path: directory.path, reason: problem)
        }
        entries.append(entry)
        contentSize += entry.size
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try POSIXFile.writeAll(output, $0, path: outputPath) }
    }
}
