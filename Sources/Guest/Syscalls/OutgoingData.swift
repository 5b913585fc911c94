/// The bytes a write-family call hands to the kernel, gathered from guest memory.
///
/// Recording digests them and replay compares, and replay echoes those sent to fds 1 and 2,
/// so both sides read them the same way.
public enum OutgoingData {
    static let write = 1
    static let pwrite64 = 18
    static let writev = 20
    static let sendto = 44
    static let pwritev = 296
    static let pwritev2 = 328

    /// True for the calls whose data this type can gather.
    public static func applies(to number: Int) -> Bool {
        [write, pwrite64, writev, sendto, pwritev, pwritev2].contains(number)
    }

    /// The first `count` bytes the call sends (its result, for a call that returned).
    public static func bytes(number: Int, arguments: [UInt64], count: Int, memory: any GuestMemoryReading) throws -> [UInt8] {
        guard count > 0 else { return [] }
        switch number {
        case write, pwrite64, sendto:
            return try memory.read(arguments[1], count: count)
        case writev, pwritev, pwritev2:
            var gathered: [UInt8] = []
            gathered.reserveCapacity(count)
            let vectorCount = Int(min(arguments[2], 1024))
            let vectors = try memory.read(arguments[1], count: vectorCount * 16)
            for index in 0..<vectorCount where gathered.count < count {
                let base = vectors.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self) }
                let length = vectors.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self) }
                let take = Int(min(length, UInt64(count - gathered.count)))
                gathered += try memory.read(base, count: take)
            }
            return gathered
        default:
            return []
        }
    }
}
