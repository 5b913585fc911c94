/// Where a write-family call finds the bytes it hands to the kernel.
///
/// Recording digests them and replay compares, and replay echoes those sent to fds 1 and 2,
/// so both sides gather them the same way, from guest memory.
public enum OutgoingData: Equatable, Sendable {
    /// One buffer at the pointer in argument `argument` (`write`, `sendto`).
    case buffer(argument: Int)
    /// The buffers of the iovec array at the pointer in argument `argument`, whose length is
    /// argument `countArgument` (`writev`).
    case iovecs(argument: Int, countArgument: Int)

    /// The first `count` bytes the call sends (its result, for a call that returned).
    public func bytes(_ arguments: [UInt64], count: Int, memory: any GuestMemoryReading) throws -> [UInt8] {
        guard count > 0 else { return [] }
        switch self {
        case .buffer(let argument):
            return try memory.read(arguments[argument], count: count)
        case .iovecs(let argument, let countArgument):
            var gathered: [UInt8] = []
            gathered.reserveCapacity(count)
            let vectorCount = Int(min(arguments[countArgument], UInt64(KernelStructSize.maxIovecs)))
            let vectors = try memory.read(arguments[argument], count: vectorCount * KernelStructSize.iovec)
            for index in 0..<vectorCount where gathered.count < count {
                let entry = index * KernelStructSize.iovec
                let (base, length) = vectors.withUnsafeBytes {
                    ($0.loadUnaligned(fromByteOffset: entry, as: UInt64.self),
                     $0.loadUnaligned(fromByteOffset: entry + 8, as: UInt64.self))
                }
                let take = Int(min(length, UInt64(count - gathered.count)))
                gathered += try memory.read(base, count: take)
            }
            return gathered
        }
    }
}
