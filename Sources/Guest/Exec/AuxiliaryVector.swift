/// The auxiliary vector the kernel puts on a new program's stack, located from `rsp` at exec:
/// argc, argv pointers, NULL, envp pointers, NULL, then (type, value) pairs ending in AT_NULL.
public struct AuxiliaryVector {
    public static let atNull: UInt64 = 0
    public static let atIgnore: UInt64 = 1
    public static let atRandom: UInt64 = 25
    public static let atSysinfoEhdr: UInt64 = 33

    /// The entries in order, each with the address of its type word.
    public var entries: [(address: UInt64, type: UInt64, value: UInt64)]

    /// Walks the initial stack at `rsp`.
    public init(stackPointer rsp: UInt64, memory: GuestMemory) throws {
        var cursor = rsp
        let argc = try memory.readWord(cursor)
        cursor += 8 * (argc + 2)  // argc, argv[argc], NULL
        while try memory.readWord(cursor) != 0 { cursor += 8 }
        cursor += 8
        entries = []
        while true {
            let type = try memory.readWord(cursor)
            let value = try memory.readWord(cursor + 8)
            entries.append((cursor, type, value))
            if type == AuxiliaryVector.atNull || entries.count > 512 { break }
            cursor += 16
        }
    }

    public func value(of type: UInt64) -> UInt64? {
        entries.first { $0.type == type }?.value
    }
}

extension AuxiliaryVector {
    /// The vector as the kernel lays it out (and `/proc/PID/auxv` shows it): 8-byte type and
    /// value pairs up to and including AT_NULL.
    public var bytes: [UInt8] {
        entries.flatMap { entry in
            withUnsafeBytes(of: entry.type.littleEndian, Array.init) + withUnsafeBytes(of: entry.value.littleEndian, Array.init)
        }
    }
}
