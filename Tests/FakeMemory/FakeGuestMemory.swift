import Syscalls

/// Guest memory for tests of rules that read it (output rules, outgoing data, mutex owners):
/// a few byte regions at chosen addresses. Reading any byte outside them throws, so a rule
/// that reads more than it should fails its test.
public struct FakeGuestMemory: GuestMemoryReading {
    public struct Unmapped: Error {}

    private var bytes: [UInt64: UInt8] = [:]

    public init() {}

    public mutating func write(_ data: [UInt8], at address: UInt64) {
        for (offset, byte) in data.enumerated() {
            bytes[address + UInt64(offset)] = byte
        }
    }

    public mutating func write(littleEndian value: UInt64, size: Int, at address: UInt64) {
        write((0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }, at: address)
    }

    /// An iovec array at `address`: (base, length) pairs of 16 bytes.
    public mutating func writeIovecs(_ iovecs: [(base: UInt64, length: UInt64)], at address: UInt64) {
        for (index, iovec) in iovecs.enumerated() {
            let entry = address + UInt64(index * 16)
            write(littleEndian: iovec.base, size: 8, at: entry)
            write(littleEndian: iovec.length, size: 8, at: entry + 8)
        }
    }

    public func read(_ address: UInt64, count: Int) throws -> [UInt8] {
        try (0..<count).map { offset in
            guard let byte = bytes[address + UInt64(offset)] else { throw Unmapped() }
            return byte
        }
    }
}
