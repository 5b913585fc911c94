/// A range of guest memory that a call writes.
public struct MemoryRange: Equatable, Sendable {
    public var address: UInt64
    public var length: Int

    public init(address: UInt64, length: Int) {
        self.address = address
        self.length = length
    }
}

/// What a finished call looked like, for working out which memory it wrote.
public struct SyscallOutputContext {
    /// rdi, rsi, rdx, r10, r8, r9 at entry.
    public var arguments: [UInt64]
    /// The raw return value: negative values in -4095...-1 are `-errno`.
    public var result: Int64
    public var memory: any GuestMemoryReading

    public init(arguments: [UInt64], result: Int64, memory: any GuestMemoryReading) {
        self.arguments = arguments
        self.result = result
        self.memory = memory
    }
}

/// Thrown by an output rule when a call's variant (an ioctl request, an fcntl command)
/// is not in the table, so its memory effects are unknown.
public struct UnknownSyscallVariant: Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
