/// The layout of a trace bundle (a `.rrdbg` file): a whole trace directory in one file, so a
/// recording can be mailed, attached to a bug or copied to another machine and replayed there.
///
/// Format version 1, all integers little-endian:
///
///     offset 0    header, 92 bytes
///                   0  magic "RRDBGPAK"                                    8 bytes
///                   8  format version (1)                                  u32
///                  12  index offset: 92 + the sum of the entry sizes       u64
///                  20  index length                                        u64
///                  28  SHA-256 of the index                                32 bytes
///                  60  SHA-256 of header bytes 0..<60                      32 bytes
///     offset 92   the entries' contents, back to back in index order, no padding
///     index       entry count (u32), then for each entry:
///                   name length (u16), name (UTF-8), mode (u8: 0 data, 1 executable),
///                   size (u64), SHA-256 of the contents (32 bytes)
///     the file ends exactly at index offset + index length
///
/// Entry names are relative paths inside the trace directory: `header.json` (which the packer
/// stores first), the event streams, and `files/<sha256>`, whose name must equal the entry's
/// own digest. Because `files/` is content-addressed, each distinct file is stored once.
///
/// Why the index comes last: the packer reads each trace file once, hashing while it copies,
/// and the index then records exactly the bytes that went into the bundle, even for a
/// recording that is still growing. The header is filled in at the end (the bundle is a
/// temporary file until it is complete), so a reader still learns everything from the first
/// 92 bytes, and a cut-off bundle is recognised there by its size.
///
/// Why so many digests: every byte of a bundle is covered by a check (the header's, the
/// index's or an entry's), so any damage is reported and attributed to the part it hit.
/// The header digest transitively covers every entry, which makes it the bundle's content
/// digest, and the key under which bundles are unpacked. The version is read before anything
/// else, so a later format may change everything after byte 12.
enum TraceBundleFormat {
    static let magic: [UInt8] = Array("RRDBGPAK".utf8)
    /// The version this rrdbg writes and the newest one it reads.
    static let currentVersion: UInt32 = 1
    /// Larger "versions" are not plausible future formats but damage.
    static let largestPlausibleVersion: UInt32 = 1000
    static let headerSize = 92
    /// The header bytes its own digest covers.
    static let digestedHeaderSize = 60
    /// Where the version field ends: all a reader looks at before checking the version.
    static let versionEnd = 12
    static let maximumNameLength = 1024
    static let maximumNameDepth = 8

    /// The fixed-size header.
    struct Header: Equatable {
        var indexOffset: UInt64
        var indexLength: UInt64
        var indexDigest: [UInt8]

        init(indexOffset: UInt64, indexLength: UInt64, indexDigest: [UInt8]) {
            self.indexOffset = indexOffset
            self.indexLength = indexLength
            self.indexDigest = indexDigest
        }

        /// The fields of a whole header (`headerSize` bytes) whose version was checked.
        init(decoding bytes: [UInt8]) {
            indexOffset = littleEndian(bytes[versionEnd..<versionEnd + 8])
            indexLength = littleEndian(bytes[versionEnd + 8..<versionEnd + 16])
            indexDigest = Array(bytes[versionEnd + 16..<digestedHeaderSize])
        }

        /// The whole header, ending in its own digest.
        func encoded() -> [UInt8] {
            var bytes = magic
            bytes.appendLittleEndian(currentVersion)
            bytes.appendLittleEndian(indexOffset)
            bytes.appendLittleEndian(indexLength)
            bytes.append(contentsOf: indexDigest)
            precondition(bytes.count == digestedHeaderSize)
            var hasher = SHA256()
            hasher.update(bytes)
            bytes.append(contentsOf: hasher.finalize())
            return bytes
        }
    }

    /// One file of the bundle, as the index describes it.
    struct IndexEntry: Equatable {
        var name: String
        var executable: Bool
        var size: UInt64
        var digest: [UInt8]
    }

    static func encodeIndex(_ entries: [IndexEntry]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt32(entries.count))
        for entry in entries {
            let name = Array(entry.name.utf8)
            bytes.appendLittleEndian(UInt16(name.count))
            bytes.append(contentsOf: name)
            bytes.append(entry.executable ? 1 : 0)
            bytes.appendLittleEndian(entry.size)
            bytes.append(contentsOf: entry.digest)
        }
        return bytes
    }

    /// Parses an index whose digest already matched; a reason string describes any violation.
    static func decodeIndex(_ bytes: [UInt8]) throws(IndexProblem) -> [IndexEntry] {
        var reader = LittleEndianReader(bytes)
        let count = Int(try reader.read(UInt32.self))
        // The smallest entry is 2 + 1 + 1 + 8 + 32 bytes; a count beyond that is damage.
        guard count <= bytes.count / 44 else { throw IndexProblem("it claims \(count) entries") }
        var entries: [IndexEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let nameLength = Int(try reader.read(UInt16.self))
            let name = try reader.readBytes(nameLength)
            guard let text = String(validating: name, as: UTF8.self) else {
                throw IndexProblem("an entry name is not UTF-8")
            }
            let mode = try reader.readBytes(1)[0]
            guard mode <= 1 else { throw IndexProblem("entry \(text) has an unknown mode \(mode)") }
            let size = try reader.read(UInt64.self)
            let digest = try reader.readBytes(SHA256.digestByteCount)
            entries.append(IndexEntry(name: text, executable: mode == 1, size: size, digest: digest))
        }
        guard reader.isAtEnd else { throw IndexProblem("it has bytes after its last entry") }
        return entries
    }

    /// Why a name cannot be an entry: it must stay inside the trace directory (no absolute
    /// paths, `..` or hidden components, which are reserved for temporary files), and an
    /// archived file must be named by its content. Nil for a good name.
    static func problem(withName name: String, digest: [UInt8]) -> String? {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, name.utf8.count <= maximumNameLength, components.count <= maximumNameDepth else {
            return "entry name \"\(name)\" is empty or too long"
        }
        for component in components {
            guard !component.isEmpty, !component.hasPrefix("."), component.utf8.count <= 255,
                component.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7f })
            else { return "entry name \"\(name)\" is not a plain relative path" }
        }
        if components[0] == TraceDirectory.filesDirectoryName
            && (components.count != 2 || String(components[1]) != SHA256.hex(digest))
        {
            return "archived file \(name) is not named by its content's SHA-256"
        }
        return nil
    }

    /// What is wrong with an index, in words.
    struct IndexProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// A bounds-checked cursor for the bundle's fixed-width little-endian fields.
struct LittleEndianReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func read<Value: FixedWidthInteger>(_ type: Value.Type) throws(TraceBundleFormat.IndexProblem) -> Value {
        littleEndian(try readBytes(MemoryLayout<Value>.size))
    }

    mutating func readBytes(_ count: Int) throws(TraceBundleFormat.IndexProblem) -> [UInt8] {
        guard count <= bytes.count - position else {
            throw TraceBundleFormat.IndexProblem("it ends in the middle of an entry")
        }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }
}

/// The integer whose little-endian bytes are `bytes` (as many as the type has).
func littleEndian<Value: FixedWidthInteger>(_ bytes: some Collection<UInt8>) -> Value {
    var value: Value = 0
    for (index, byte) in bytes.enumerated() {
        value |= Value(byte) << (8 * index)
    }
    return value
}
