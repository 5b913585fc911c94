import GDBRemote
import GDBServer
import Guest
import Trace
import X86Registers

/// A replay as gdb's debug target: `ReplayDebugger` behind the protocols `GDBSession` serves.
///
/// It keeps the replay's current stop, which `ReplayDebugger` hands back and forth by value,
/// and adds what the replay means for gdb: history runs backwards, registers and memory are
/// read-only (a change would make the replay diverge), and the files gdb loads come from the
/// trace.
public final class ReplayGDBTarget {
    private let debugger: ReplayDebugger
    private let files: TraceFileServer
    /// The trace's copy of the executable, which gdb can load symbols from.
    public let executablePath: String
    /// Where the replay stopped; nil while a run has it, and after a run failed until `recover`.
    private var position: DebugPosition?
    /// The current guest, kept apart from `position`, which a failed run consumes.
    private var process: GuestProcess?

    /// A target for process `process` of the recording (`-p`), or for its first process.
    public init(trace: TraceDirectory, process: Int32? = nil) throws {
        debugger = try ReplayDebugger(trace: trace, process: process)
        let index = try TraceFileIndex.build(trace, process: process)
        files = TraceFileServer(index: index.paths, traceDirectory: trace.path)
        executablePath = index.executable
    }

    /// Makes `stop` the current one.
    private func install(_ stop: consuming DebugPosition) -> GDBStopReason {
        process = stop.thread.process
        let reason = GDBStopReason(stop.reason)
        position = consume stop
        return reason
    }

    /// Runs the replay from the current stop to the next.
    private func advance(_ run: (consuming DebugPosition) throws -> DebugPosition) throws -> GDBStopReason {
        guard let current = position.take() else { throw ReplayError.unreplayable(event: 0, reason: "the replay is not stopped") }
        return install(try run(current))
    }

    /// `body` with the thread of the current stop; nil when there is none.
    private func withStoppedThread<Result>(_ body: (borrowing StoppedThread) throws -> Result) rethrows -> Result? {
        switch position {
        case .some(let current): return try body(current.thread)
        case .none: return nil
        }
    }

    /// The registers of the stopped thread (`thread` nil) or of one waiting for its turn.
    private func registers(_ thread: Int32?) -> (Registers, FloatingPointRegisters)? {
        if let thread { return try? debugger.registers(ofWaitingThread: thread) }
        return withStoppedThread { stopped -> (Registers, FloatingPointRegisters)? in
            guard let general = try? stopped.registers(), let fp = try? stopped.floatingPointRegisters() else { return nil }
            return (general, fp)
        } ?? nil
    }

    private static let registerChangeRefusal = "registers of a replay cannot be changed (the replay would diverge)"

    /// The number of orig_rax in gdb's register layout.
    private static let origRaxNumber = RegisterLayout.register(named: RegisterName.origRax.description)?.number ?? -1

    /// Whether a `G` packet holds the current registers but for orig_rax.
    private static func changesOnlyOrigRax(_ written: [UInt8], _ current: [UInt8]) -> Bool {
        guard written.count == current.count, let origRax = RegisterLayout.register(named: RegisterName.origRax.description) else { return false }
        let skipped = origRax.offset..<origRax.offset + origRax.byteSize
        return !zip(written, current).enumerated().contains { !skipped.contains($0.offset) && $0.element.0 != $0.element.1 }
    }
}

extension ReplayGDBTarget: GDBDebugTarget {
    public var interruptRequested: () -> Bool {
        get { debugger.interruptRequested }
        set { debugger.interruptRequested = newValue }
    }

    public func start() throws -> GDBStopReason {
        install(try debugger.start())
    }

    public func kill() {
        process?.killAndReap()
    }

    public func resume(step: Bool) throws -> GDBStopReason {
        try advance { try debugger.resume($0, step: step) }
    }

    /// An interrupted reverse run leaves the replay back at the start, with gdb's breakpoints;
    /// any other failure counts as killing the program, which is started again so that `run`
    /// finds a replay to replace.
    public func recover(after error: Error) throws -> GDBRecovery {
        process?.killAndReap()
        if error is ReverseExecutionInterrupted {
            return .interrupted(install(try debugger.restart(plantingBreakpoints: true)))
        }
        _ = install(try debugger.start())
        return .killed
    }

    public var processID: Int32 { debugger.recordedPID }

    public var threadIDs: [Int32] { debugger.threadIDs }

    public var stoppedThreadID: Int32 {
        withStoppedThread { debugger.recordedTid(of: $0) } ?? debugger.recordedPID
    }

    public func readRegisters(thread: Int32?) -> [UInt8]? {
        guard let (general, fp) = registers(thread) else { return nil }
        return RegisterPacket.bytes(general: general, floatingPoint: fp)
    }

    public func writeRegisters(_ packet: [UInt8], thread: Int32?) throws(GDBTargetError) {
        guard let current = readRegisters(thread: thread) else { throw .unavailable }
        guard Self.changesOnlyOrigRax(packet, current) else { throw .refused(Self.registerChangeRefusal) }
    }

    /// Accepts writes of the current value, and of orig_rax: gdb sets orig_rax to -1 whenever it
    /// sets the pc (on `run` too), so that the kernel does not restart a syscall; a replay
    /// restarts none, so there is nothing to change.
    public func writeRegister(_ number: Int, value: [UInt8], thread: Int32?) throws(GDBTargetError) {
        guard let (general, fp) = registers(thread),
              let current = RegisterPacket.bytes(of: number, general: general, floatingPoint: fp)
        else { throw .unavailable }
        guard value == current || number == Self.origRaxNumber else { throw .refused(Self.registerChangeRefusal) }
    }

    public func readMemory(at address: UInt64, count: Int) -> [UInt8] {
        withStoppedThread { debugger.readMemory(address, count: count, in: $0) } ?? []
    }

    /// Accepts gdb's probe for `X` support (an empty write) and writes of what is there already.
    public func writeMemory(_ bytes: [UInt8], at address: UInt64) throws(GDBTargetError) {
        guard !bytes.isEmpty, readMemory(at: address, count: bytes.count) != bytes else { return }
        throw .refused(
            "memory of a replay cannot be changed (the replay would diverge): gdb tried to write \(bytes.count) bytes at 0x\(String(address, radix: 16))")
    }

    public func insertSoftwareBreakpoint(at address: UInt64) throws(GDBTargetError) {
        guard (try? withStoppedThread({ try debugger.insertSoftwareBreakpoint(address, in: $0) })) != nil else {
            throw .badAddress
        }
    }

    public func removeSoftwareBreakpoint(at address: UInt64) {
        _ = try? withStoppedThread { try debugger.removeSoftwareBreakpoint(address, in: $0) }
    }
}

extension ReplayGDBTarget: GDBReverseExecution {
    public func reverseContinue() throws -> GDBStopReason {
        try advance { try debugger.reverseContinue($0) }
    }

    public func reverseStep() throws -> GDBStopReason {
        try advance { try debugger.reverseStep($0) }
    }
}

extension ReplayGDBTarget: GDBHardwareBreakpoints {
    public func insertHardwareBreakpoint(at address: UInt64) throws(GDBTargetError) {
        guard debugger.insertHardware(HardwareRequest.breakpointSlot(at: address), kind: nil) else { throw .exhausted }
    }

    public func removeHardwareBreakpoint(at address: UInt64) {
        debugger.removeHardware(HardwareRequest.breakpointSlot(at: address))
    }
}

extension ReplayGDBTarget: GDBWatchpoints {
    public func insertWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64) throws(GDBTargetError) {
        guard let slot = HardwareRequest.watchSlot(kind, address: address, length: length) else { throw .unsupported }
        guard debugger.insertHardware(slot, kind: WatchKind(kind)) else { throw .exhausted }
    }

    public func removeWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64) {
        guard let slot = HardwareRequest.watchSlot(kind, address: address, length: length) else { return }
        debugger.removeHardware(slot)
    }
}

extension ReplayGDBTarget: GDBHostFiles {
    public func openFile(_ path: String, flags: FileIOOpenFlags, mode: UInt32) throws(FileIOErrno) -> Int {
        try files.openFile(path, flags: flags)
    }

    public func readFile(_ handle: Int, count: Int, offset: UInt64) throws(FileIOErrno) -> [UInt8] {
        try files.readFile(handle, count: count, offset: offset)
    }

    public func closeFile(_ handle: Int) throws(FileIOErrno) {
        try files.closeFile(handle)
    }

    public func statFile(_ handle: Int) throws(FileIOErrno) -> FileIOStat {
        try files.statFile(handle)
    }
}

extension ReplayGDBTarget: GDBAuxiliaryVector {
    public var auxiliaryVector: [UInt8] { debugger.auxiliaryVector }
}

extension ReplayGDBTarget: GDBExecutableFile {}

private extension GDBStopReason {
    init(_ stop: DebugStop) {
        switch stop {
        case .start: self = .start
        case .stepped, .arrived: self = .stepped
        case .softwareBreakpoint: self = .softwareBreakpoint
        case .hardwareBreakpoint: self = .hardwareBreakpoint
        case .watchpoint(let kind, let address): self = .watchpoint(GDBWatchKind(kind), address: address)
        case .signal(let signal): self = .signal(signal)
        case .interrupted: self = .interrupted
        case .endOfHistory: self = .endOfHistory
        case .beginOfHistory: self = .beginOfHistory
        }
    }
}

private extension GDBWatchKind {
    init(_ kind: WatchKind) {
        switch kind {
        case .write: self = .write
        case .read: self = .read
        case .access: self = .access
        }
    }
}

private extension WatchKind {
    init(_ kind: GDBWatchKind) {
        switch kind {
        case .write: self = .write
        case .read: self = .read
        case .access: self = .access
        }
    }
}
