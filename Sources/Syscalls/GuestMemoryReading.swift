/// Read access to guest memory, so that rules about a call can look at it without ptrace: the
/// output rules find out-buffers indirectly (iovec arrays, `msghdr`) and `OutgoingData` gathers
/// what a write sends. Guest's `GuestMemory` reads a live process through it.
public protocol GuestMemoryReading {
    func read(_ address: UInt64, count: Int) throws -> [UInt8]
}
