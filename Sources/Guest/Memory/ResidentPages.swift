import Glibc
import System

/// A run of consecutive guest pages and their contents.
public struct PageRun: Equatable, Sendable {
    public var address: UInt64
    public var bytes: [UInt8]

    public init(address: UInt64, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }
}

/// Every writable page a guest has actually touched, with its contents.
///
/// This is the memory half of an async point: with the registers it is the thread's whole
/// user-visible state, so replay can put a thread where the recording interrupted it without
/// re-running the loop that led there. Pages the program never touched are left out, found
/// through the present and swapped bits of `/proc/PID/pagemap`, which keeps a thread's
/// mostly untouched 8 MiB stack down to the few pages it used.
public enum ResidentPages {
    public static let pageSize: UInt64 = 4096

    public static func snapshot(_ memory: GuestMemory) throws -> [PageRun] {
        let pagemap = open("/proc/\(memory.pid)/pagemap", O_RDONLY | O_CLOEXEC)
        guard pagemap >= 0 else { throw Errno.current("open(/proc/\(memory.pid)/pagemap)") }
        defer { close(pagemap) }
        var runs: [PageRun] = []
        for mapping in try MemoryMap.read(pid: memory.pid) where mapping.writable && !mapping.path.hasPrefix("[v") {
            for range in try residentRanges(of: mapping, pagemap: pagemap) {
                runs.append(PageRun(address: range.lowerBound, bytes: try memory.read(range.lowerBound, count: Int(range.upperBound - range.lowerBound))))
            }
        }
        return runs
    }

    /// The address ranges of `mapping` whose pages are present or swapped out.
    private static func residentRanges(of mapping: MemoryMapping, pagemap: Int32) throws -> [Range<UInt64>] {
        let pageCount = Int((mapping.end - mapping.start) / pageSize)
        var entries = [UInt64](repeating: 0, count: pageCount)
        let offset = off_t(mapping.start / pageSize * 8)
        let wanted = pageCount * 8
        let read = entries.withUnsafeMutableBytes { buffer in pread(pagemap, buffer.baseAddress, wanted, offset) }
        guard read == wanted else { throw Errno.current("pread(pagemap, 0x\(String(mapping.start, radix: 16)))") }
        let inMemory: UInt64 = 1 << 63 | 1 << 62
        var ranges: [Range<UInt64>] = []
        var start: UInt64?
        for (index, entry) in entries.enumerated() {
            let address = mapping.start + UInt64(index) * pageSize
            if entry & inMemory != 0 {
                if start == nil { start = address }
            } else if let runStart = start {
                ranges.append(runStart..<address)
                start = nil
            }
        }
        if let runStart = start { ranges.append(runStart..<mapping.end) }
        return ranges
    }
}
