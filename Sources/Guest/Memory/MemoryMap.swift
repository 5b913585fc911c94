/// One line of `/proc/PID/maps`.
public struct MemoryMapping: Equatable, Sendable {
    public var start: UInt64
    public var end: UInt64
    public var readable: Bool
    public var writable: Bool
    public var executable: Bool
    public var shared: Bool
    public var offset: UInt64
    public var inode: UInt64
    /// The file path, a pseudo name such as `[stack]`, or empty for anonymous memory.
    public var path: String

    /// `PROT_READ | PROT_WRITE | PROT_EXEC` bits.
    public var protection: UInt32 {
        (readable ? 1 : 0) | (writable ? 2 : 0) | (executable ? 4 : 0)
    }

    /// True when the mapping is backed by a file (inode non-zero and a real path).
    public var isFileBacked: Bool { inode != 0 && path.hasPrefix("/") }
}

/// The address space layout of a guest, parsed from `/proc/PID/maps`.
public enum MemoryMap {
    public static func read(pid: Int32) throws -> [MemoryMapping] {
        parse(String(decoding: try ProcFile.read("/proc/\(pid)/maps"), as: UTF8.self))
    }

    /// Parses maps text; lines that do not have the expected shape are skipped.
    public static func parse(_ text: String) -> [MemoryMapping] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5 else { return nil }
            let range = fields[0].split(separator: "-")
            let permissions = Array(fields[1].utf8)
            guard range.count == 2, permissions.count == 4,
                  let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16),
                  let offset = UInt64(fields[2], radix: 16), let inode = UInt64(fields[4])
            else { return nil }
            let path = fields.count == 6 ? fields[5].trimmingLeadingSpaces() : ""
            return MemoryMapping(
                start: start, end: end,
                readable: permissions[0] == UInt8(ascii: "r"),
                writable: permissions[1] == UInt8(ascii: "w"),
                executable: permissions[2] == UInt8(ascii: "x"),
                shared: permissions[3] == UInt8(ascii: "s"),
                offset: offset, inode: inode, path: path
            )
        }
    }
}

private extension Substring {
    func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " }))
    }
}
