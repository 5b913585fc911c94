/// A digest of a guest's whole writable memory.
///
/// Registers alone may repeat (a loop whose state lives in memory), but two instants of one
/// replay with equal registers and equal memory have equal futures, so they are the same
/// point. Replay uses this to recognise a point it has been at before.
public enum MemoryDigest {
    /// The digest of the writable memory of `memory`'s process, leaving out the mappings that
    /// overlap `excluded` (memory rrdbg itself mapped there).
    public static func of(_ memory: GuestMemory, excluding excluded: [Range<UInt64>] = []) throws -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for mapping in try MemoryMap.read(pid: memory.pid) where mapping.writable && !mapping.path.hasPrefix("[v")
            && !excluded.contains(where: { $0.overlaps(mapping.start..<mapping.end) }) {
            var cursor = mapping.start
            while cursor < mapping.end {
                let count = Int(min(mapping.end - cursor, 1 << 20))
                guard let bytes = try? memory.read(cursor, count: count) else { break }
                for byte in bytes {
                    hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                }
                cursor += UInt64(count)
            }
        }
        return hash
    }
}
