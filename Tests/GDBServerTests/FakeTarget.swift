import GDBRemote
import GDBServer

/// A debug target made of plain values: memory is a dictionary, registers are `g` packets per
/// thread, and each run ends as the test scripted it. It records what the session asked of it.
class FakeTarget: GDBDebugTarget {
    /// How one resume (or reverse run) ends.
    enum Run {
        /// Stops for `reason` in thread `thread`.
        case stop(GDBStopReason, thread: Int32)
        /// Runs until the session says gdb interrupted, then stops in `thread`.
        case untilInterrupted(thread: Int32)
        /// Fails with `error`.
        case failure(any Error)
    }

    /// An error the fake's `recover` treats as an interrupted run, as a replay treats an
    /// interrupted reverse-continue.
    struct Interruption: Error, CustomStringConvertible {
        var description: String { "run interrupted" }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the program fell over" }
    }

    var interruptRequested: () -> Bool = { false }
    let processID: Int32 = 0x64
    var threadIDs: [Int32] = [0x64, 0x65]
    var stoppedThreadID: Int32 = 0x64
    /// A `g` packet per thread.
    var registers: [Int32: [UInt8]] = [:]
    var memory: [UInt64: UInt8] = [:]
    var softwareBreakpoints: Set<UInt64> = []
    /// Outcomes of the coming runs, first first.
    var runs: [Run] = []
    /// What the session asked, in order, as short text such as `resume(step: true)`.
    private(set) var calls: [String] = []

    init() {
        for (index, tid) in threadIDs.enumerated() {
            registers[tid] = (0..<RegisterLayout.registerPacketSize).map { UInt8(truncatingIfNeeded: $0 + index) }
        }
    }

    func log(_ call: String) {
        calls.append(call)
    }

    /// Fills memory at `address` with `bytes`.
    func map(_ bytes: [UInt8], at address: UInt64) {
        for (offset, byte) in bytes.enumerated() { memory[address + UInt64(offset)] = byte }
    }

    func start() throws -> GDBStopReason {
        log("start")
        softwareBreakpoints.removeAll()
        stoppedThreadID = processID
        return .start
    }

    func kill() {
        log("kill")
    }

    func resume(step: Bool) throws -> GDBStopReason {
        log("resume(step: \(step))")
        return try nextRun()
    }

    /// Plays the next scripted run.
    func nextRun() throws -> GDBStopReason {
        switch runs.removeFirst() {
        case .stop(let reason, let thread):
            stoppedThreadID = thread
            return reason
        case .untilInterrupted(let thread):
            while !interruptRequested() {}
            stoppedThreadID = thread
            return .interrupted
        case .failure(let error):
            throw error
        }
    }

    func recover(after error: Error) throws -> GDBRecovery {
        log("recover")
        stoppedThreadID = processID
        return error is Interruption ? .interrupted(.start) : .killed
    }

    func readRegisters(thread: Int32?) -> [UInt8]? {
        registers[thread ?? stoppedThreadID]
    }

    func writeRegisters(_ packet: [UInt8], thread: Int32?) throws(GDBTargetError) {
        guard let current = readRegisters(thread: thread) else { throw .unavailable }
        guard packet == current else { throw .refused("registers are read-only") }
    }

    func writeRegister(_ number: Int, value: [UInt8], thread: Int32?) throws(GDBTargetError) {
        throw .refused("registers are read-only")
    }

    func readMemory(at address: UInt64, count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count, let byte = memory[address + UInt64(bytes.count)] { bytes.append(byte) }
        return bytes
    }

    func writeMemory(_ bytes: [UInt8], at address: UInt64) throws(GDBTargetError) {
        guard readMemory(at: address, count: bytes.count) == bytes else { throw .refused("memory is read-only") }
    }

    func insertSoftwareBreakpoint(at address: UInt64) throws(GDBTargetError) {
        guard memory[address] != nil else { throw .badAddress }
        softwareBreakpoints.insert(address)
    }

    func removeSoftwareBreakpoint(at address: UInt64) {
        softwareBreakpoints.remove(address)
    }
}
