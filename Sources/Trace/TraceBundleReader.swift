import Glibc
import System

/// An open bundle file (see `TraceBundleFormat`) whose header and index have been checked.
///
/// Bundles come from elsewhere and may be damaged in any byte, so nothing is trusted before its
/// digest matched, and every length and offset is checked before it is used: a bad bundle
/// gives a `TraceBundleError`, never a trap or an allocation sized by garbage. Entry contents
/// are checked as they are read, by `verify()` or `extract(into:)`.
public final class TraceBundleReader {
    /// One file in the bundle.
    public struct Entry: Equatable, Sendable {
        /// The path inside the trace directory, such as "header.json" or "files/<sha256>".
        public var name: String
        /// True for files that were executable in the trace (and are extracted 0700, not 0600).
        public var executable: Bool
        public var size: UInt64
        /// The lowercase hex SHA-256 of the contents.
        public var sha256: String
        /// Where the contents start in the bundle.
        var offset: UInt64
        var digest: [UInt8]
    }

    public let path: String
    /// The files in the order they are stored.
    public let entries: [Entry]
    /// The hex SHA-256 of the bundle's header, which covers the index and through it every
    /// entry's digest: two bundles with the same content digest hold the same trace.
    public let contentDigest: String

    private let descriptor: Int32

    /// Opens the bundle at `path` and checks its header and index.
    public init(path: String) throws {
        self.path = path
        // Not blocking, so that a FIFO is refused below rather than waited on.
        let descriptor = try POSIXFile.open(path, flags: O_RDONLY | O_NONBLOCK, operation: "open")
        do {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                throw TraceError.systemCall(Errno(errno, operation: "inspect", path: path))
            }
            guard POSIXFile.isRegularFile(info) else {
                throw TraceBundleError.notABundle(path: path, reason: "it is not a regular file")
            }
            let layout = try Layout(descriptor: descriptor, size: UInt64(info.st_size), path: path)
            entries = layout.entries
            contentDigest = SHA256.hex(layout.headerDigest)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Reads every entry and checks it against its digest.
    public func verify() throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for entry in entries {
            try readContents(of: entry, chunk: &chunk) { _ in }
        }
    }

    /// Writes every entry under `directory` (an existing, empty directory), creating
    /// subdirectories 0700 and files 0600, or 0700 for executables. Fails at the first entry
    /// that does not match its digest, leaving a partial extraction that the caller must
    /// discard: that is why extraction goes to a temporary directory.
    public func extract(into directory: String) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for entry in entries {
            let target = directory + "/" + entry.name
            try POSIXFile.makeDirectories(POSIXFile.parentPath(of: target), mode: 0o700)
            let output = try POSIXFile.createExclusive(target, mode: entry.executable ? 0o700 : 0o600)
            do {
                try readContents(of: entry, chunk: &chunk) { piece in
                    try POSIXFile.writeAll(output, piece, path: target)
                }
                try POSIXFile.sync(output, path: target)
            } catch {
                Glibc.close(output)
                throw error
            }
            try POSIXFile.close(output, path: target)
        }
    }

    /// Passes an entry's contents to `body` piece by piece, then checks the digest. The caller
    /// must not trust what it was given until this returns.
    private func readContents(
        of entry: Entry, chunk: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var hasher = SHA256()
        var done: UInt64 = 0
        while done < entry.size {
            let wanted = Int(min(UInt64(chunk.count), entry.size - done))
            let count = try chunk.withUnsafeMutableBytes { raw in
                try POSIXFile.read(
                    descriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]),
                    at: Int64(entry.offset + done), path: path)
            }
            guard count > 0 else {
                throw TraceBundleError.corrupt(path: path, reason: "it became shorter while it was being read")
            }
            try chunk.withUnsafeBytes { raw in
                let piece = UnsafeRawBufferPointer(rebasing: raw[..<count])
                hasher.update(piece)
                try body(piece)
            }
            done += UInt64(count)
        }
        guard hasher.finalize() == entry.digest else {
            throw TraceBundleError.corrupt(path: path, reason: "\(entry.name) does not match its SHA-256")
        }
    }
}

/// The header and index of a bundle, read and checked in the order that names each problem
/// best: signature, version, header digest, size, index digest, index contents.
private struct Layout {
    var entries: [TraceBundleReader.Entry] = []
    var headerDigest: [UInt8] = []

    init(descriptor: Int32, size: UInt64, path: String) throws {
        let format = TraceBundleFormat.self
        guard size > 0 else { throw TraceBundleError.notABundle(path: path, reason: "it is empty") }
        let header = try Layout.read(descriptor, at: 0, count: Int(min(size, UInt64(format.headerSize))), path: path)
        let signatureLength = min(header.count, format.magic.count)
        guard header[..<signatureLength].elementsEqual(format.magic[..<signatureLength]) else {
            throw TraceBundleError.notABundle(path: path, reason: "it does not start with a bundle's signature")
        }
        guard header.count >= format.versionEnd else {
            throw TraceBundleError.truncated(path: path, size: size, expectedSize: nil)
        }
        let version: UInt32 = littleEndian(header[format.magic.count..<format.versionEnd])
        guard version > 0 && version <= format.largestPlausibleVersion else {
            throw TraceBundleError.corrupt(path: path, reason: "its format version field is damaged (\(version))")
        }
        guard version <= format.currentVersion else {
            throw TraceBundleError.newerVersion(path: path, found: version, supported: format.currentVersion)
        }
        guard header.count == format.headerSize else {
            throw TraceBundleError.truncated(path: path, size: size, expectedSize: nil)
        }
        var hasher = SHA256()
        hasher.update(Array(header[..<format.digestedHeaderSize]))
        headerDigest = Array(header[format.digestedHeaderSize...])
        guard hasher.finalize() == headerDigest else {
            throw TraceBundleError.corrupt(path: path, reason: "its header does not match its checksum")
        }
        let fields = TraceBundleFormat.Header(decoding: header)
        let (indexOffset, indexLength) = (fields.indexOffset, fields.indexLength)
        let (end, overflow) = indexOffset.addingReportingOverflow(indexLength)
        guard !overflow, indexOffset >= UInt64(format.headerSize), indexLength >= 4 else {
            throw TraceBundleError.corrupt(path: path, reason: "its header places the index impossibly")
        }
        guard size >= end else { throw TraceBundleError.truncated(path: path, size: size, expectedSize: end) }
        guard size == end else {
            throw TraceBundleError.corrupt(path: path, reason: "it has \(size - end) unexpected bytes after its end")
        }
        let index = try Layout.read(descriptor, at: indexOffset, count: Int(indexLength), path: path)
        var indexHasher = SHA256()
        indexHasher.update(index)
        guard indexHasher.finalize() == fields.indexDigest else {
            throw TraceBundleError.corrupt(path: path, reason: "its index does not match its checksum")
        }
        do {
            entries = try Layout.place(try format.decodeIndex(index), contentsEnd: indexOffset)
        } catch let problem as TraceBundleFormat.IndexProblem {
            throw TraceBundleError.corrupt(path: path, reason: "its index is invalid: \(problem.reason)")
        }
    }

    /// Gives each entry its offset and checks that the entries tile the contents exactly,
    /// that names are valid and distinct, and that the trace has a header.
    private static func place(
        _ indexEntries: [TraceBundleFormat.IndexEntry], contentsEnd: UInt64
    ) throws -> [TraceBundleReader.Entry] {
        var offset = UInt64(TraceBundleFormat.headerSize)
        var names: Set<String> = []
        var directories: Set<String> = []
        var entries: [TraceBundleReader.Entry] = []
        for entry in indexEntries {
            if let problem = TraceBundleFormat.problem(withName: entry.name, digest: entry.digest) {
                throw TraceBundleFormat.IndexProblem(problem)
            }
            // "a/b/c" needs directories "a" and "a/b", which must not also be files.
            let components = entry.name.split(separator: "/")
            let ancestors = (1..<components.count).map { components[..<$0].joined(separator: "/") }
            guard !directories.contains(entry.name), names.insert(entry.name).inserted,
                ancestors.allSatisfy({ !names.contains($0) })
            else { throw TraceBundleFormat.IndexProblem("\(entry.name) appears twice") }
            directories.formUnion(ancestors)
            entries.append(TraceBundleReader.Entry(
                name: entry.name, executable: entry.executable, size: entry.size,
                sha256: SHA256.hex(entry.digest), offset: offset, digest: entry.digest))
            let (next, overflow) = offset.addingReportingOverflow(entry.size)
            guard !overflow, next <= contentsEnd else {
                throw TraceBundleFormat.IndexProblem("\(entry.name) extends past the contents")
            }
            offset = next
        }
        guard offset == contentsEnd else {
            throw TraceBundleFormat.IndexProblem("its entries do not fill the contents")
        }
        guard names.contains(TraceDirectory.headerFileName) else {
            throw TraceBundleFormat.IndexProblem("it has no \(TraceDirectory.headerFileName)")
        }
        return entries
    }

    /// Exactly `count` bytes at `offset`; the caller checked that the file is long enough.
    private static func read(_ descriptor: Int32, at offset: UInt64, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = try bytes.withUnsafeMutableBytes { raw in
                try POSIXFile.read(
                    descriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]),
                    at: Int64(offset) + Int64(done), path: path)
            }
            guard read > 0 else {
                throw TraceBundleError.corrupt(path: path, reason: "it became shorter while it was being read")
            }
            done += read
        }
        return bytes
    }
}
