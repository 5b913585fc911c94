import Glibc
import GDBRemote
import Guest
import Trace

/// Serves one gdb connection over a replay: gdb's remote protocol on top of `ReplayDebugger`.
///
/// It runs on the thread that owns the replaying guest (ptrace requires it). While the guest
/// runs, the connection is polled for Ctrl-C from the guest kernel's wait loop.
public final class GDBSession {
    private var connection: TCPConnection?
    private let debugger: ReplayDebugger
    private let files: TraceFileServer
    /// The trace's copy of the executable, which gdb can load symbols from.
    public let executable: String
    private var decoder = PacketDecoder(maximumPayload: 1 << 17)
    private var pending: [DecodedInput] = []
    private var ackMode = AckMode.acknowledged
    private var extendedMode = false
    /// False once gdb killed the program (until `run` starts it again) or the replay failed.
    private var alive = true
    /// The recorded id of the thread of the last stop, and of the thread gdb selected with `Hg`.
    private var stoppedThread: Int32?
    private var selectedThread: Int32?
    /// Messages for gdb's console, sent as `O` packets before the next stop reply (the only
    /// time gdb 13 takes them).
    private var laterConsoleMessages: [String] = []

    /// A session on process `process` of the recording (`-p`), or on its first process.
    public init(trace: TraceDirectory, process: Int32? = nil) throws {
        debugger = try ReplayDebugger(trace: trace, process: process)
        let index = try TraceFileIndex.build(trace, process: process)
        files = TraceFileServer(index: index.paths, traceDirectory: trace.path)
        executable = index.executable
    }

    /// Serves until gdb detaches, kills the program (outside extended mode) or disconnects.
    /// The replaying guest is always gone when this returns.
    public func serve(_ connection: TCPConnection) throws {
        self.connection = connection
        defer { self.connection = nil }
        debugger.interruptRequested = { [unowned self] in self.interruptArrived() }
        var position = try debugger.start()
        var process = position.thread.process
        defer { process.killAndReap() }
        while let command = try nextCommand() {
            switch command {
            case .continue, .continueWithSignal, .step, .stepWithSignal, .vCont, .reverseContinue, .reverseStep:
                guard alive else {
                    send(GDBReply.errorMessage("the program is not being replayed; use run to start again"))
                    continue
                }
                do {
                    switch command {
                    case .reverseContinue: position = try debugger.reverseContinue(position)
                    case .reverseStep: position = try debugger.reverseStep(position)
                    default: position = try debugger.resume(position, step: command.isStep)
                    }
                    process = position.thread.process
                    focus(on: position.thread)
                    send(stopReply(position.reason))
                } catch let interrupted as ReverseExecutionInterrupted {
                    report(interrupted)
                    process.killAndReap()
                    position = try debugger.restart(plantingBreakpoints: true)
                    process = position.thread.process
                    send(stopReply(.interrupted))
                } catch {
                    report(error)
                    alive = false
                    process.killAndReap()
                    position = try debugger.start()
                    process = position.thread.process
                    send(GDBReply.terminated(signal: GDBSignal.fromLinux(SIGKILL), pid: UInt64(debugger.recordedPID)))
                }
            case .run:
                process.killAndReap()
                position = try debugger.start()
                process = position.thread.process
                alive = true
                send(stopReply(position.reason))
            case .kill, .killProcess:
                process.killAndReap()
                alive = false
                if !extendedMode { return }
                send(GDBReply.ok)
            case .detach:
                send(GDBReply.ok)
                return
            case .haltReason:
                focus(on: position.thread)
                send(alive ? stopReply(position.reason) : GDBReply.exited(status: 0, pid: UInt64(debugger.recordedPID)))
            default:
                send(answer(command, at: position.thread))
            }
        }
    }

    /// Replies to everything that does not run the program.
    private func answer(_ command: GDBCommand, at thread: borrowing StoppedThread) -> [UInt8] {
        switch command {
        case .querySupported:
            return GDBReply.supported([
                "PacketSize=10000", "QStartNoAckMode+", "qXfer:features:read+", "qXfer:auxv:read+",
                "qXfer:exec-file:read+", "multiprocess+", "swbreak+", "hwbreak+", "vContSupported+",
                "QPassSignals+", "QProgramSignals+", "ReverseContinue+", "ReverseStep+",
            ])
        case .startNoAckMode:
            defer { ackMode = .unacknowledged }
            return GDBReply.ok
        case .extendedMode:
            extendedMode = true
            return GDBReply.ok
        case .setting(let setting):
            return setting.conventionalReply
        case .readRegisters:
            guard alive, let (general, fp) = registers(in: thread) else { return GDBReply.error(1) }
            return GDBReply.hex(RegisterPacket.bytes(general: general, floatingPoint: fp))
        case .readRegister(let number):
            guard alive, let (general, fp) = registers(in: thread),
                  let bytes = RegisterPacket.bytes(of: number, general: general, floatingPoint: fp)
            else { return GDBReply.error(1) }
            return GDBReply.hex(bytes)
        case .writeRegisters(let bytes):
            guard let (general, fp) = registers(in: thread) else { return GDBReply.error(1) }
            return changesOnlyOrigRax(bytes, RegisterPacket.bytes(general: general, floatingPoint: fp)) ? GDBReply.ok
                : refuse("registers of a replay cannot be changed (the replay would diverge)")
        case .writeRegister(let number, let bytes):
            guard let (general, fp) = registers(in: thread),
                  let current = RegisterPacket.bytes(of: number, general: general, floatingPoint: fp)
            else { return GDBReply.error(1) }
            // gdb sets orig_rax to -1 whenever it sets the pc (on `run` too), so that the kernel
            // does not restart a syscall; a replay restarts none, so there is nothing to change.
            return bytes == current || number == Self.origRaxNumber ? GDBReply.ok
                : refuse("registers of a replay cannot be changed (the replay would diverge)")
        case .readMemory(let address, let length):
            guard alive else { return GDBReply.error(1) }
            let bytes = debugger.readMemory(address, count: min(length, 1 << 15), in: thread)
            return bytes.isEmpty && length > 0 ? GDBReply.error(14) : GDBReply.hex(bytes)
        case .writeMemory(let address, let data):
            // gdb probes for `X` support with an empty write, and writes back what is there.
            guard !data.isEmpty, debugger.readMemory(address, count: data.count, in: thread) != data else { return GDBReply.ok }
            let reason = "memory of a replay cannot be changed (the replay would diverge): gdb tried to write \(data.count) bytes at 0x\(String(address, radix: 16))"
            // gdb shows only "Cannot access memory" for a failed write: the reason follows in
            // its console with the next stop.
            laterConsoleMessages.append("rrdbg: refused: \(reason)\n")
            return refuse(reason)
        case .insertBreakpoint(let type, let address, let kind):
            return insertBreakpoint(type, address: address, length: Int(kind), in: thread)
        case .removeBreakpoint(let type, let address, let kind):
            return removeBreakpoint(type, address: address, length: Int(kind), in: thread)
        case .vContQuery:
            return GDBReply.vContSupported(["c", "C", "s", "S"])
        case .setThread(.general, let id):
            guard case .id(let tid) = id.thread else { return GDBReply.ok }
            guard debugger.threadIDs.contains(Int32(truncatingIfNeeded: tid)) else { return GDBReply.error(1) }
            selectedThread = Int32(truncatingIfNeeded: tid)
            return GDBReply.ok
        case .setThread:
            // Replay runs threads in the recorded order, whichever thread gdb names.
            return GDBReply.ok
        case .threadAlive(let id):
            guard case .id(let tid) = id.thread else { return GDBReply.ok }
            return debugger.threadIDs.contains(Int32(truncatingIfNeeded: tid)) ? GDBReply.ok : GDBReply.error(1)
        case .currentThread:
            return GDBReply.currentThread(threadID)
        case .threadListFirst:
            return GDBReply.threadList(alive ? debugger.threadIDs.map(gdbThreadID) : [])
        case .threadListNext:
            return GDBReply.threadListEnd
        case .attached:
            return GDBReply.attached(false)
        case .symbol:
            return GDBReply.ok
        case .xferRead(let object, let annex, let offset, let length):
            guard let document = xferDocument(object: object, annex: annex) else { return GDBReply.empty }
            return GDBReply.xferChunk(document, offset: offset, length: length)
        case .file(let request):
            return files.handle(request)
        case .malformed:
            return GDBReply.error(1)
        default:
            return GDBReply.empty
        }
    }

    /// The number of orig_rax in gdb's register layout.
    private static let origRaxNumber = RegisterLayout.register(named: "orig_rax")?.number ?? -1

    /// Whether a `G` packet holds the current registers but for orig_rax.
    private func changesOnlyOrigRax(_ written: [UInt8], _ current: [UInt8]) -> Bool {
        guard written.count == current.count, let origRax = RegisterLayout.register(named: "orig_rax") else { return false }
        let skipped = origRax.offset..<origRax.offset + origRax.byteSize
        return !zip(written, current).enumerated().contains { !skipped.contains($0.offset) && $0.element.0 != $0.element.1 }
    }

    /// Refuses a change to the replay. gdb shows the text for register writes but only
    /// "Cannot access memory" for memory writes, so the reason also goes to rrdbg's stderr,
    /// which `rrdbg debug` shares with gdb.
    private func refuse(_ reason: String) -> [UInt8] {
        FileHandleWriter.standardError("rrdbg: \(reason)\n")
        return GDBReply.errorMessage("rrdbg: \(reason)")
    }

    private func xferDocument(object: String, annex: String) -> [UInt8]? {
        switch object {
        case "features": return TargetDescription.annex(named: annex)
        case "auxv": return debugger.auxiliaryVector
        case "exec-file": return Array(executable.utf8)
        default: return nil
        }
    }

    /// The thread of the last stop, which gdb shows as current.
    private var threadID: ThreadID { gdbThreadID(stoppedThread ?? debugger.recordedPID) }

    private func gdbThreadID(_ recordedTid: Int32) -> ThreadID {
        ThreadID(pid: UInt64(debugger.recordedPID), tid: UInt64(recordedTid))
    }

    /// Makes the thread that stopped the one gdb's register reads go to, until gdb picks another.
    private func focus(on thread: borrowing StoppedThread) {
        stoppedThread = debugger.recordedTid(of: thread)
        selectedThread = nil
    }

    /// The registers of the thread gdb selected: the stopped thread, or one waiting its turn.
    private func registers(in thread: borrowing StoppedThread) -> (Registers, FloatingPointRegisters)? {
        if let selected = selectedThread, selected != stoppedThread {
            return try? debugger.registers(ofWaitingThread: selected)
        }
        guard let general = try? thread.registers(), let fp = try? thread.floatingPointRegisters() else { return nil }
        return (general, fp)
    }

    private func stopReply(_ reason: DebugStop) -> [UInt8] {
        for message in laterConsoleMessages { send(GDBReply.consoleOutput(message)) }
        laterConsoleMessages.removeAll()
        let trap = GDBSignal.fromLinux(SIGTRAP)
        switch reason {
        case .start, .stepped, .arrived:
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID))
        case .softwareBreakpoint:
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID, details: [.softwareBreakpoint]))
        case .hardwareBreakpoint:
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID, details: [.hardwareBreakpoint]))
        case .watchpoint(let kind, let address):
            let detail: StopReply.Detail
            switch kind {
            case .write: detail = .writeWatch(address)
            case .read: detail = .readWatch(address)
            case .access: detail = .accessWatch(address)
            }
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID, details: [detail]))
        case .signal(let signal):
            return GDBReply.stopped(StopReply(signal: GDBSignal.fromLinux(signal), thread: threadID))
        case .interrupted:
            return GDBReply.stopped(StopReply(signal: GDBSignal.fromLinux(SIGINT), thread: threadID))
        case .endOfHistory:
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID, details: [.replayLogEnd]))
        case .beginOfHistory:
            return GDBReply.stopped(StopReply(signal: trap, thread: threadID, details: [.replayLogBegin]))
        }
    }

    private func insertBreakpoint(_ type: BreakpointType, address: UInt64, length: Int, in thread: borrowing StoppedThread) -> [UInt8] {
        guard alive else { return GDBReply.error(1) }
        switch type {
        case .software:
            return (try? debugger.insertSoftwareBreakpoint(address, in: thread)) != nil ? GDBReply.ok : GDBReply.error(14)
        default:
            guard let slot = HardwareRequest.slot(type, address: address, length: length) else { return GDBReply.error(22) }
            return debugger.insertHardware(slot, kind: HardwareRequest.watchKind(type)) ? GDBReply.ok : GDBReply.error(28)
        }
    }

    private func removeBreakpoint(_ type: BreakpointType, address: UInt64, length: Int, in thread: borrowing StoppedThread) -> [UInt8] {
        switch type {
        case .software:
            if alive { try? debugger.removeSoftwareBreakpoint(address, in: thread) }
        default:
            if let slot = HardwareRequest.slot(type, address: address, length: length) { debugger.removeHardware(slot) }
        }
        return GDBReply.ok
    }

    // MARK: The connection

    /// The next command from gdb, or nil when gdb disconnected.
    private func nextCommand() throws -> GDBCommand? {
        while true {
            guard let connection else { return nil }
            while !pending.isEmpty {
                let input = pending.removeFirst()
                let response = ackMode.response(to: input)
                if !response.isEmpty { write(response) }
                switch input {
                case .packet(let payload): return GDBCommand.parse(payload)
                case .oversized: send(GDBReply.error(1))
                default: continue
                }
            }
            guard let bytes = try? connection.read(timeout: -1) else {
                self.connection = nil
                return nil
            }
            decoder.feed(bytes)
            while let input = decoder.next() { pending.append(input) }
        }
    }

    /// Called while the guest runs: true when gdb sent Ctrl-C (a raw 0x03) or went away, so a
    /// replay nobody watches stops at once.
    private func interruptArrived() -> Bool {
        guard let connection else { return true }
        let read: [UInt8]?
        do {
            read = try connection.read(timeout: 0)
        } catch {
            read = nil
        }
        guard let bytes = read else {
            self.connection = nil
            return true
        }
        guard !bytes.isEmpty else { return false }
        decoder.feed(bytes)
        while let input = decoder.next() { pending.append(input) }
        guard let index = pending.firstIndex(of: .interrupt) else { return false }
        pending.remove(at: index)
        return true
    }

    private func send(_ payload: [UInt8]) {
        write(PacketEncoder.frame(payload))
    }

    /// A connection that fails to take bytes is gone: the session ends at the next read.
    private func write(_ bytes: [UInt8]) {
        do {
            try connection?.write(bytes)
        } catch {
            connection = nil
        }
    }

    private func report(_ error: Error) {
        let message = "rrdbg: \(error)\n"
        FileHandleWriter.standardError(message)
        send(GDBReply.consoleOutput(message))
    }
}

private extension GDBCommand {
    var isStep: Bool {
        switch self {
        case .step, .stepWithSignal: return true
        case .vCont(let actions):
            guard let first = actions.first else { return false }
            switch first.kind {
            case .step, .stepWithSignal: return true
            default: return false
            }
        default: return false
        }
    }
}
