import Guest
import Syscalls
import Trace

/// A replay brought to a point of its trace and held there with every thread stopped, for
/// reports that look at the program's state (the hang report).
///
/// It runs to the end of the trace, or until event `stopAfter` has been applied. A recording
/// whose program exited is held just before its final exit, where its threads still exist.
/// Like every replay, it must be used from the thread that created it.
public final class StoppedReplay {
    /// One thread at the point where the replay stopped.
    public struct ThreadState: Sendable {
        public var recordedTid: Int32
        /// The thread's id in the replaying process, for ptrace-based tools such as the unwinder.
        public var realTid: Int32
        public var registers: Registers
        /// True when the thread waits at the entry of a syscall it was blocked in when recorded.
        public var blockedInSyscall: Bool
    }

    private let engine: ReplayEngine
    public let process: GuestProcess
    /// Index of the last event applied.
    public let eventIndex: Int
    public let header: TraceHeader
    public let threads: [ThreadState]

    public init(trace: TraceDirectory, stopAfter lastEvent: Int? = nil) throws {
        let engine = try ReplayEngine(trace: trace)
        self.engine = engine
        header = engine.header
        engine.echoesOutput = false
        let main = try engine.start()
        let process = main.process
        self.process = process
        engine.park(main, signal: 0)
        do {
            try Self.run(engine, until: lastEvent)
            threads = try Self.states(of: engine)
        } catch {
            // deinit does not run for an object whose init failed.
            process.killAndReap()
            throw error
        }
        eventIndex = engine.cursor.index
    }

    /// Every thread's registers, read from its stop.
    private static func states(of engine: ReplayEngine) throws -> [ThreadState] {
        try engine.threads.all.map { thread in
            guard let stopped = thread.parked.take() else {
                throw ReplayError.unreplayable(event: engine.cursor.index, reason: "thread \(thread.recordedTid) is not stopped")
            }
            let registers = try stopped.registers()
            thread.parked = consume stopped
            return ThreadState(
                recordedTid: thread.recordedTid, realTid: thread.realTid, registers: registers,
                blockedInSyscall: thread.atAnnouncedEntry)
        }
    }

    deinit {
        process.killAndReap()
    }

    /// The recorded id of the main thread (the process id).
    public var recordedPID: Int32 { engine.recordedPID }

    /// Replays events until the trace ends, the program is about to exit, or `lastEvent` has
    /// been applied, leaving every thread parked.
    private static func run(_ engine: ReplayEngine, until lastEvent: Int?) throws {
        while true {
            if let lastEvent, engine.cursor.index >= lastEvent { return }
            guard !engine.nextEventEndsProgram, try engine.cursor.peek() != nil else { return }
            try settle(engine.dispatch(.cont), engine)
        }
    }

    /// Waits for the running thread and applies events until one leaves a thread paused, then
    /// parks it.
    private static func settle(_ applied: consuming Applied, _ engine: ReplayEngine) throws {
        switch consume applied {
        case .paused(let thread, let signal):
            engine.park(thread, signal: signal)
        case .endOfTrace(let thread):
            engine.park(thread, signal: 0)
        case .running(let running):
            let tid = running.tid
            let outcome = try running.wait()
            switch consume outcome {
            case .ended(let exit):
                try settle(engine.threadDied(tid, exit), engine)
            case .stopped(let at):
                try settle(engine.apply(at, then: .pause), engine)
            }
        case .ended(let exit):
            throw ReplayError.unreplayable(event: engine.cursor.index, reason: "the program ended (\(exit)) before the point to stop at")
        }
    }

    /// Runs `body` with a stopped thread of the replay (for example to unwind its stack).
    public func withThread<Result>(_ recordedTid: Int32, _ body: (borrowing StoppedThread) throws -> Result) throws -> Result {
        guard let thread = engine.threads[recorded: recordedTid], let stopped = thread.parked.take() else {
            throw ReplayError.unreplayable(event: eventIndex, reason: "no thread \(recordedTid) at this point")
        }
        let result = Swift.Result { try body(stopped) }
        thread.parked = consume stopped
        return try result.get()
    }

    /// The archived copy of every ELF image mapped in the program, by the address its ELF header
    /// is mapped at: the executable, the dynamic loader and each library, as the trace recorded
    /// them. Symbolizers need these, because replay maps the images as anonymous memory.
    public func imageFiles() throws -> [UInt64: String] {
        var images: [UInt64: String] = [:]
        let reader = try TraceReader(directory: engine.trace)
        var index = -1
        while let event = try reader.next() {
            index += 1
            if index > eventIndex { break }
            switch event {
            case .exec(let exec):
                for mapping in exec.mappings where mapping.fileOffset == 0 {
                    if let hash = mapping.fileHash { images[mapping.start] = try engine.trace.checkedPath(forFile: hash) }
                }
            case .syscall(let call):
                if let file = call.mappedFile, file.fileOffset == 0, !SyscallResult.isError(call.result) {
                    images[UInt64(bitPattern: call.result)] = try engine.trace.checkedPath(forFile: file.fileHash)
                }
            default:
                break
            }
        }
        return images
    }
}
