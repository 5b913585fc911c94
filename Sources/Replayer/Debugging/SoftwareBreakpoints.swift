import Guest

/// int3 breakpoints planted in the replaying guest's code.
///
/// The original byte under each breakpoint is kept so the debugger always sees the program's
/// real code in memory reads, and so a breakpoint can be lifted to step over it.
final class SoftwareBreakpoints {
    static let int3: UInt8 = 0xcc
    private(set) var originals: [UInt64: UInt8] = [:]

    func contains(_ address: UInt64) -> Bool { originals[address] != nil }

    func insert(_ address: UInt64, in memory: any BreakpointMemory) throws {
        guard originals[address] == nil else { return }
        let original = try memory.read(address, count: 1)[0]
        try memory.write([SoftwareBreakpoints.int3], at: address)
        originals[address] = original
    }

    func remove(_ address: UInt64, in memory: any BreakpointMemory) throws {
        guard let original = originals.removeValue(forKey: address) else { return }
        try memory.write([original], at: address)
    }

    /// Forgets every breakpoint without touching memory (the process it was planted in is gone).
    func forgetAll() {
        originals.removeAll()
    }

    /// Forgets the breakpoints in `range`, whose memory was just replaced (a new mapping over
    /// old code), and returns their addresses so they can be planted again.
    func forget(in range: Range<UInt64>) -> [UInt64] {
        let replaced = originals.keys.filter { range.contains($0) }
        for address in replaced { originals[address] = nil }
        return replaced
    }

    /// Puts the original byte back at `address` without forgetting the breakpoint, so the
    /// instruction under it can execute once; `replant` puts the int3 back.
    func lift(_ address: UInt64, in memory: any BreakpointMemory) throws {
        guard let original = originals[address] else { return }
        try memory.write([original], at: address)
    }

    func replant(_ address: UInt64, in memory: any BreakpointMemory) throws {
        guard originals[address] != nil else { return }
        try memory.write([SoftwareBreakpoints.int3], at: address)
    }

    /// `bytes` read from `address`, with the original code in place of planted int3s.
    func masking(_ bytes: [UInt8], at address: UInt64) -> [UInt8] {
        var shown = bytes
        for (location, original) in originals where location >= address && location < address + UInt64(bytes.count) {
            shown[Int(location - address)] = original
        }
        return shown
    }
}

/// Memory that breakpoints are planted in: a guest's, or a test's.
protocol BreakpointMemory {
    func read(_ address: UInt64, count: Int) throws -> [UInt8]
    func write(_ bytes: [UInt8], at address: UInt64) throws
}

extension GuestMemory: BreakpointMemory {}
