import Guest

/// Code maps of the guest's executable mappings, decoded once per content: reverse execution
/// starts the same program over and over, and decoding libc takes tens of milliseconds.
final class CodeMapCache {
    private var maps: [Key: CodeMap] = [:]

    private struct Key: Hashable {
        var start: UInt64
        var digest: UInt64
    }

    /// The map of the executable mapping holding `address`, with `original` undoing planted
    /// breakpoints in its bytes; nil if no executable mapping holds it.
    func map(around address: UInt64, memory: GuestMemory, original: ([UInt8], UInt64) -> [UInt8]) throws -> CodeMap? {
        let mappings = try MemoryMap.read(pid: memory.pid)
        guard let mapping = CodeMap.mapping(around: address, in: mappings) else { return nil }
        let bytes = original(try memory.read(mapping.start, count: Int(mapping.end - mapping.start)), mapping.start)
        let key = Key(start: mapping.start, digest: Self.digest(bytes))
        if let known = maps[key] { return known }
        let map = CodeMap(code: bytes, at: mapping.start, functionStarts: CodeMap.functionStarts(around: address, in: mappings, memory: memory))
        maps[key] = map
        return map
    }

    /// FNV-1a over 8-byte words: enough to tell one library's code from another's.
    private static func digest(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var index = 0
            while index + 8 <= buffer.count {
                hash = (hash ^ buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01b3
                index += 8
            }
            while index < buffer.count {
                hash = (hash ^ UInt64(buffer[index])) &* 0x0000_0100_0000_01b3
                index += 1
            }
            return hash
        }
    }
}
