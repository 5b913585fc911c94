import GDBRemote
import Glibc

/// Serves one gdb connection: gdb's remote protocol on top of a `GDBDebugTarget`, over a
/// `GDBTransport`.
///
/// The session keeps what is the protocol's (acknowledgement mode, extended mode, the thread gdb
/// selected, messages waiting for gdb's console) and leaves what is the program's to the target,
/// so a test can drive it completely in memory. It runs on the thread that calls `serve`, which
/// for a replay must be the thread that owns the guest (ptrace requires it); while the program
/// runs, the target polls it for Ctrl-C through `interruptRequested`.
public final class GDBSession {
    private let target: any GDBDebugTarget
    private let reverse: (any GDBReverseExecution)?
    private let hardwareBreakpoints: (any GDBHardwareBreakpoints)?
    private let watchpoints: (any GDBWatchpoints)?
    private let files: (any GDBHostFiles)?
    /// The `vFile` handles gdb holds open. Each costs the target a descriptor, so a peer that
    /// opens without closing could otherwise exhaust rrdbg's descriptors and end the replay.
    private var openFiles: Set<Int> = []
    /// gdb keeps a few files open at a time (the program, a library, its debug file), so this is
    /// far above what it needs and far below the process's descriptor limit.
    public static let maximumOpenFiles = 64
    private let auxiliaryVector: (any GDBAuxiliaryVector)?
    private let executableFile: (any GDBExecutableFile)?
    private let transport: any GDBTransport
    /// False once the transport failed or the peer closed it.
    private var connected = true
    /// Where the session's own messages go besides gdb's console (refusals, failed runs).
    private let diagnostics: (String) -> Void
    private var decoder = PacketDecoder(maximumPayload: 1 << 17)
    /// What arrived while the program ran, apart from Ctrl-C; taken before the decoder's rest.
    private var pending = InputQueue()
    private var ackMode = AckMode.acknowledged
    private var extendedMode = false
    /// True once gdb detached, or killed the program outside extended mode.
    private var finished = false
    /// False once gdb killed the program (until `run` starts it again) or a run failed.
    private var alive = true
    /// Why the program last stopped, for `?`.
    private var lastStop = GDBStopReason.start
    /// The thread of the last stop, and the thread gdb selected with `Hg`.
    private var stoppedThread: Int32?
    private var selectedThread: Int32?
    /// Messages for gdb's console, sent as `O` packets before the next stop reply (the only
    /// time gdb 13 takes them).
    private var laterConsoleMessages: [String] = []

    /// A session for `target` over `transport`. `diagnostics` receives the messages gdb may not
    /// show clearly (rrdbg writes them to its stderr, which `rrdbg debug` shares with gdb).
    public init(target: any GDBDebugTarget, transport: any GDBTransport, diagnostics: @escaping (String) -> Void) {
        self.target = target
        reverse = target as? any GDBReverseExecution
        hardwareBreakpoints = target as? any GDBHardwareBreakpoints
        watchpoints = target as? any GDBWatchpoints
        files = target as? any GDBHostFiles
        auxiliaryVector = target as? any GDBAuxiliaryVector
        executableFile = target as? any GDBExecutableFile
        self.transport = transport
        self.diagnostics = diagnostics
    }

    /// Starts the program and serves until gdb detaches, kills the program (outside extended
    /// mode) or disconnects. The program is killed and the transport closed when this returns.
    public func serve() throws {
        defer { transport.close() }
        target.interruptRequested = { [weak self] in self?.interruptArrived() ?? true }
        lastStop = try target.start()
        defer { target.kill() }
        defer { closeOpenFiles() }
        while !finished, let command = try nextCommand() {
            if let reply = try answer(command) { send(reply) }
        }
    }

    /// The features `qSupported` announces: the protocol features the session always handles,
    /// and those of the target's optional protocols it adopts.
    private var supportedFeatures: [String] {
        var features = ["PacketSize=10000", "QStartNoAckMode+", "qXfer:features:read+"]
        if auxiliaryVector != nil { features.append("qXfer:auxv:read+") }
        if executableFile != nil { features.append("qXfer:exec-file:read+") }
        features += ["multiprocess+", "swbreak+"]
        if hardwareBreakpoints != nil { features.append("hwbreak+") }
        features += ["vContSupported+", "QPassSignals+", "QProgramSignals+"]
        if reverse != nil { features += ["ReverseContinue+", "ReverseStep+"] }
        return features
    }

    /// The reply to every command gdb can send; nil for none (`k` outside extended mode).
    private func answer(_ command: GDBCommand) throws -> [UInt8]? {
        switch command {
        case .querySupported:
            return GDBReply.supported(supportedFeatures)
        case .startNoAckMode:
            defer { ackMode = .unacknowledged }
            return GDBReply.ok
        case .extendedMode:
            extendedMode = true
            return GDBReply.ok
        case .haltReason:
            focusOnStoppedThread()
            return alive ? stopReply(lastStop) : GDBReply.exited(status: 0, pid: UInt64(target.processID))
        case .mustReplyEmpty:
            return GDBReply.empty
        case .setting(let setting):
            return setting.conventionalReply
        case .readRegisters:
            guard alive, let registers = registers() else { return GDBReply.error(1) }
            return GDBReply.hex(registers)
        case .readRegister(let number):
            guard alive, let registers = registers(), let bytes = Self.register(number, in: registers) else {
                return GDBReply.error(1)
            }
            return GDBReply.hex(bytes)
        case .writeRegisters(let bytes):
            return reply { () throws(GDBTargetError) in try target.writeRegisters(bytes, thread: registerThread) }
        case .writeRegister(let number, let bytes):
            return reply { () throws(GDBTargetError) in try target.writeRegister(number, value: bytes, thread: registerThread) }
        case .readMemory(let address, let length):
            guard alive else { return GDBReply.error(1) }
            let bytes = target.readMemory(at: address, count: min(length, 1 << 15))
            return bytes.isEmpty && length > 0 ? GDBReply.error(14) : GDBReply.hex(bytes)
        case .writeMemory(let address, let data):
            return reply(consoleNoteOnRefusal: true) { () throws(GDBTargetError) in try target.writeMemory(data, at: address) }
        case .insertBreakpoint(let type, let address, let kind):
            return insertBreakpoint(type, address: address, kind: kind)
        case .removeBreakpoint(let type, let address, let kind):
            return removeBreakpoint(type, address: address, kind: kind)
        case .continue, .continueWithSignal:
            return try run { try target.resume(step: false) }
        case .step, .stepWithSignal:
            return try run { try target.resume(step: true) }
        case .vCont(let actions):
            let step = actions.first?.kind.isStep ?? false
            return try run { try target.resume(step: step) }
        case .vContQuery:
            return GDBReply.vContSupported(["c", "C", "s", "S"])
        case .reverseContinue:
            guard let reverse else { return GDBReply.empty }
            return try run { try reverse.reverseContinue() }
        case .reverseStep:
            guard let reverse else { return GDBReply.empty }
            return try run { try reverse.reverseStep() }
        case .setThread(.general, let id):
            guard case .id(let tid) = id.thread else { return GDBReply.ok }
            guard target.threadIDs.contains(Int32(truncatingIfNeeded: tid)) else { return GDBReply.error(1) }
            selectedThread = Int32(truncatingIfNeeded: tid)
            return GDBReply.ok
        case .setThread(.resume, _):
            // The target runs its threads in its own order, whichever thread gdb names.
            return GDBReply.ok
        case .threadAlive(let id):
            guard case .id(let tid) = id.thread else { return GDBReply.ok }
            return target.threadIDs.contains(Int32(truncatingIfNeeded: tid)) ? GDBReply.ok : GDBReply.error(1)
        case .currentThread:
            return GDBReply.currentThread(currentThreadID)
        case .threadListFirst:
            return GDBReply.threadList(alive ? target.threadIDs.map(gdbThreadID) : [])
        case .threadListNext:
            return GDBReply.threadListEnd
        case .threadExtraInfo, .offsets, .monitor, .unknown:
            return GDBReply.empty
        case .attached:
            return GDBReply.attached(false)
        case .symbol:
            return GDBReply.ok
        case .xferRead(let object, let annex, let offset, let length):
            guard let document = xferDocument(object: object, annex: annex) else { return GDBReply.empty }
            return GDBReply.xferChunk(document, offset: offset, length: length)
        case .kill, .killProcess:
            target.kill()
            alive = false
            guard extendedMode else {
                finished = true
                return nil
            }
            return GDBReply.ok
        case .detach:
            finished = true
            return GDBReply.ok
        case .run:
            target.kill()
            lastStop = try target.start()
            alive = true
            return stopReply(lastStop)
        case .file(let request):
            guard let files else { return GDBReply.empty }
            return fileReply(request, files)
        case .malformed:
            return GDBReply.error(1)
        }
    }

    // MARK: Running

    /// Runs the program forward or backward and replies with where it stopped. A run that fails
    /// is reported to the user, and the target recovers as it can.
    private func run(_ body: () throws -> GDBStopReason) throws -> [UInt8] {
        guard alive else { return GDBReply.errorMessage("the program is not being replayed; use run to start again") }
        do {
            lastStop = try body()
            focusOnStoppedThread()
            return stopReply(lastStop)
        } catch {
            report(error)
            switch try target.recover(after: error) {
            case .interrupted(let stop):
                lastStop = stop
                return stopReply(.interrupted)
            case .killed:
                alive = false
                return GDBReply.terminated(signal: GDBSignal.fromLinux(SIGKILL), pid: UInt64(target.processID))
            }
        }
    }

    private func stopReply(_ reason: GDBStopReason) -> [UInt8] {
        for message in laterConsoleMessages { send(GDBReply.consoleOutput(message)) }
        laterConsoleMessages.removeAll()
        let trap = GDBSignal.fromLinux(SIGTRAP)
        let thread = currentThreadID
        switch reason {
        case .start, .stepped:
            return GDBReply.stopped(StopReply(signal: trap, thread: thread))
        case .softwareBreakpoint:
            return GDBReply.stopped(StopReply(signal: trap, thread: thread, details: [.softwareBreakpoint]))
        case .hardwareBreakpoint:
            return GDBReply.stopped(StopReply(signal: trap, thread: thread, details: [.hardwareBreakpoint]))
        case .watchpoint(let kind, let address):
            let detail: StopReply.Detail
            switch kind {
            case .write: detail = .writeWatch(address)
            case .read: detail = .readWatch(address)
            case .access: detail = .accessWatch(address)
            }
            return GDBReply.stopped(StopReply(signal: trap, thread: thread, details: [detail]))
        case .signal(let signal):
            return GDBReply.stopped(StopReply(signal: GDBSignal.fromLinux(signal), thread: thread))
        case .interrupted:
            return GDBReply.stopped(StopReply(signal: GDBSignal.fromLinux(SIGINT), thread: thread))
        case .endOfHistory:
            return GDBReply.stopped(StopReply(signal: trap, thread: thread, details: [.replayLogEnd]))
        case .beginOfHistory:
            return GDBReply.stopped(StopReply(signal: trap, thread: thread, details: [.replayLogBegin]))
        }
    }

    // MARK: Threads and registers

    /// The thread of the last stop, which gdb shows as current.
    private var currentThreadID: ThreadID { gdbThreadID(stoppedThread ?? target.processID) }

    private func gdbThreadID(_ tid: Int32) -> ThreadID {
        ThreadID(pid: UInt64(target.processID), tid: UInt64(tid))
    }

    /// Makes the thread that stopped the one gdb's register reads go to, until gdb picks another.
    private func focusOnStoppedThread() {
        stoppedThread = target.stoppedThreadID
        selectedThread = nil
    }

    /// The thread register packets go to: nil for the stopped thread, or the one gdb selected
    /// while it waits for its turn.
    private var registerThread: Int32? {
        guard let selected = selectedThread, selected != stoppedThread else { return nil }
        return selected
    }

    private func registers() -> [UInt8]? {
        target.readRegisters(thread: registerThread)
    }

    /// One register's bytes out of a `g` packet.
    private static func register(_ number: Int, in packet: [UInt8]) -> [UInt8]? {
        guard let register = RegisterLayout.register(number: number), register.offset + register.byteSize <= packet.count else {
            return nil
        }
        return Array(packet[register.offset..<register.offset + register.byteSize])
    }

    // MARK: Breakpoints

    private func insertBreakpoint(_ type: BreakpointType, address: UInt64, kind: UInt64) -> [UInt8] {
        guard alive else { return GDBReply.error(1) }
        switch type {
        case .software:
            return reply { () throws(GDBTargetError) in try target.insertSoftwareBreakpoint(at: address) }
        case .hardware:
            guard let hardwareBreakpoints else { return GDBReply.empty }
            return reply { () throws(GDBTargetError) in try hardwareBreakpoints.insertHardwareBreakpoint(at: address) }
        case .writeWatch, .readWatch, .accessWatch:
            guard let watchpoints, let watch = type.watchKind else { return GDBReply.empty }
            return reply { () throws(GDBTargetError) in try watchpoints.insertWatchpoint(watch, address: address, length: kind) }
        }
    }

    private func removeBreakpoint(_ type: BreakpointType, address: UInt64, kind: UInt64) -> [UInt8] {
        switch type {
        case .software:
            if alive { target.removeSoftwareBreakpoint(at: address) }
        case .hardware:
            guard let hardwareBreakpoints else { return GDBReply.empty }
            hardwareBreakpoints.removeHardwareBreakpoint(at: address)
        case .writeWatch, .readWatch, .accessWatch:
            guard let watchpoints, let watch = type.watchKind else { return GDBReply.empty }
            watchpoints.removeWatchpoint(watch, address: address, length: kind)
        }
        return GDBReply.ok
    }

    // MARK: Documents and files

    private func xferDocument(object: String, annex: String) -> [UInt8]? {
        switch object {
        case "features": return TargetDescription.annex(named: annex)
        case "auxv": return auxiliaryVector?.auxiliaryVector
        case "exec-file": return executableFile.map { Array($0.executablePath.utf8) }
        default: return nil
        }
    }

    private func fileReply(_ request: VFileRequest, _ files: any GDBHostFiles) -> [UInt8] {
        do throws(FileIOErrno) {
            switch request {
            case .setFilesystem:
                return GDBReply.fileResult(0)
            case .open(let path, let flags, let mode):
                guard openFiles.count < Self.maximumOpenFiles else { throw .tooManyOpenFiles }
                let handle = try files.openFile(path, flags: flags, mode: mode)
                openFiles.insert(handle)
                return GDBReply.fileResult(UInt64(handle))
            case .pread(let handle, let count, let offset):
                return GDBReply.fileData(try files.readFile(handle, count: count, offset: offset))
            case .close(let handle):
                openFiles.remove(handle)
                try files.closeFile(handle)
                return GDBReply.fileResult(0)
            case .fstat(let handle):
                return GDBReply.fileStat(try files.statFile(handle))
            case .readlink, .unlink:
                return GDBReply.fileError(.accessDenied)
            }
        } catch {
            return GDBReply.fileError(error)
        }
    }

    /// Closes what gdb left open, so that the target's descriptors end with the session.
    private func closeOpenFiles() {
        for handle in openFiles { try? files?.closeFile(handle) }
        openFiles.removeAll()
    }

    // MARK: Errors and refusals

    /// `OK`, or the reply for the target's error. gdb shows only "Cannot access memory" for a
    /// refused memory write, so with `consoleNoteOnRefusal` the reason also goes to its console
    /// with the next stop.
    private func reply(consoleNoteOnRefusal: Bool = false, _ body: () throws(GDBTargetError) -> Void) -> [UInt8] {
        do throws(GDBTargetError) {
            try body()
            return GDBReply.ok
        } catch {
            switch error {
            case .unavailable: return GDBReply.error(1)
            case .badAddress: return GDBReply.error(14)
            case .unsupported: return GDBReply.error(22)
            case .exhausted: return GDBReply.error(28)
            case .refused(let reason):
                if consoleNoteOnRefusal { laterConsoleMessages.append("rrdbg: refused: \(reason)\n") }
                return refuse(reason)
            }
        }
    }

    /// Refuses a change. gdb shows the text for register writes but only "Cannot access memory"
    /// for memory writes, so the reason also goes to `diagnostics`.
    private func refuse(_ reason: String) -> [UInt8] {
        diagnostics("rrdbg: \(reason)\n")
        return GDBReply.errorMessage("rrdbg: \(reason)")
    }

    private func report(_ error: Error) {
        let message = "rrdbg: \(error)\n"
        diagnostics(message)
        send(GDBReply.consoleOutput(message))
    }

    // MARK: The connection

    /// The next command from gdb, or nil when gdb disconnected. Inputs are decoded one at a
    /// time as they are needed, so a flood of acknowledgements or junk costs time linear in its
    /// size.
    private func nextCommand() throws -> GDBCommand? {
        while connected {
            while let input = pending.popFirst() ?? decoder.next() {
                let response = ackMode.response(to: input)
                if !response.isEmpty { write(response) }
                switch input {
                case .packet(let payload): return GDBCommand.parse(payload)
                case .oversized: send(GDBReply.error(1))
                case .interrupt, .ack, .nack, .badChecksum: continue
                }
            }
            guard let bytes = try? transport.read(waiting: true) else {
                connected = false
                return nil
            }
            decoder.feed(bytes)
        }
        return nil
    }

    /// Called while the program runs: true when gdb sent Ctrl-C (a raw 0x03) or went away, so a
    /// program nobody watches stops at once. Other inputs wait in `pending` for the next stop.
    private func interruptArrived() -> Bool {
        guard connected else { return true }
        let read: [UInt8]?
        do {
            read = try transport.read(waiting: false)
        } catch {
            read = nil
        }
        guard let bytes = read else {
            connected = false
            return true
        }
        decoder.feed(bytes)
        var interrupted = false
        while let input = decoder.next() {
            if input == .interrupt {
                interrupted = true
            } else {
                pending.append(input)
            }
        }
        return interrupted
    }

    private func send(_ payload: [UInt8]) {
        write(PacketEncoder.frame(payload))
    }

    /// A transport that fails to take bytes is gone: the session ends at the next read.
    private func write(_ bytes: [UInt8]) {
        guard connected else { return }
        do {
            try transport.write(bytes)
        } catch {
            connected = false
        }
    }
}

private extension VContAction.Kind {
    /// Whether the action steps; the first action decides how the target runs.
    var isStep: Bool {
        switch self {
        case .step, .stepWithSignal: return true
        case .continue, .continueWithSignal, .stop, .rangeStep: return false
        }
    }
}

private extension BreakpointType {
    var watchKind: GDBWatchKind? {
        switch self {
        case .writeWatch: return .write
        case .readWatch: return .read
        case .accessWatch: return .access
        case .software, .hardware: return nil
        }
    }
}
