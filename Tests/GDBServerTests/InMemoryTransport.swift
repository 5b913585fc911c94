import GDBServer

/// A transport whose peer is a script: what gdb sends is queued up front, one chunk per read,
/// and what the session writes is collected. Once the script runs out gdb hangs up, which ends
/// the session (and interrupts a running program), so `serve` returns by itself.
final class InMemoryTransport: GDBTransport {
    /// What gdb sends, one socket read each.
    private var inbound: [[UInt8]]
    /// Everything the session wrote, in order.
    private(set) var outbound: [UInt8] = []
    private(set) var closeCount = 0
    /// Makes writes fail from the write with this index on, as if gdb had gone.
    var failingWritesFrom: Int?
    private var writeCount = 0

    init(_ inbound: [[UInt8]]) {
        self.inbound = inbound
    }

    func read(waiting: Bool) throws -> [UInt8]? {
        inbound.isEmpty ? nil : inbound.removeFirst()
    }

    func write(_ bytes: [UInt8]) throws {
        defer { writeCount += 1 }
        if let failingWritesFrom, writeCount >= failingWritesFrom { throw TransportGone() }
        outbound += bytes
    }

    func close() {
        closeCount += 1
    }

    struct TransportGone: Error {}
}
