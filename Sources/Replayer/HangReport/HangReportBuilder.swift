import Guest
import Syscalls
import Trace
import Unwind

extension HangReport {
    /// Replays `trace` to its end, or until event `lastEvent` has been applied, and examines
    /// every thread there. Like every replay it uses ptrace, so it must run on one OS thread
    /// from start to end; the replaying process is gone when it returns.
    public init(trace: TraceDirectory, stopAfter lastEvent: Int? = nil) throws {
        let replay = try StoppedReplay(trace: trace, stopAfter: lastEvent)
        self = try HangReportBuilder(replay: replay, trace: trace).report(stopAfter: lastEvent)
    }
}

/// Examines a stopped replay's threads: their calls, stacks and mutexes.
private struct HangReportBuilder {
    let replay: StoppedReplay
    let trace: TraceDirectory

    /// Frames beyond this many are not unwound; real stacks in a hang are far shallower.
    static let maximumFrames = 64

    func report(stopAfter lastEvent: Int?) throws -> HangReport {
        let descriptors = try FileDescriptorTable.read(from: trace, through: replay.eventIndex)
        let stacks = try symbolizedStacks()
        var threads = zip(replay.threads, stacks).map { state, stack in
            HangReport.Thread(
                tid: state.recordedTid, isMain: state.recordedTid == replay.recordedPID,
                state: state.blockedInSyscall
                    ? .blocked(BlockedCall(registers: state.registers, descriptors: descriptors, strings: strings(of: state.registers)))
                    : .running(pc: state.registers.rip),
                frames: stack.frames, framesEnd: stack.end, mutexWait: nil)
        }
        let graph = MutexWaitGraph(threads: zip(replay.threads, threads).map { state, thread in
            MutexWaitGraph.Thread(tid: thread.tid, waitsFor: mutexWaitedFor(state, frames: thread.frames))
        }) { mutex in
            (try? GlibcMutex.owner(ofMutexAt: mutex, memory: replay.process.memory)) ?? nil
        }
        for edge in graph.edges {
            if let index = threads.firstIndex(where: { $0.tid == edge.waiter }) { threads[index].mutexWait = edge }
        }
        return HangReport(
            trace: trace.path, stopPoint: stopPoint(requested: lastEvent), eventIndex: replay.eventIndex,
            threads: threads, mutexCycles: graph.cycles)
    }

    /// Every thread's call stack with names, in `replay.threads` order. The frames of all
    /// threads are named together, so each binary is searched once rather than once a thread.
    private func symbolizedStacks() throws -> [(frames: [SymbolizedFrame], end: String?)] {
        let unwinder = RemoteUnwinder(process: replay.process)
        let backtraces: [(frames: [UnwoundFrame], end: String?)] = try replay.threads.map { thread in
            try replay.withThread(thread.recordedTid) { _ in
                do {
                    return Self.trimmed(try unwinder.unwind(thread.realTid, maxFrames: Self.maximumFrames))
                } catch {
                    return ([], "no backtrace: \(error)")
                }
            }
        }
        var named = Symbolizer().symbolize(backtraces.flatMap(\.frames), modules: try replay.imageFiles())[...]
        return backtraces.map { backtrace in
            defer { named = named.dropFirst(backtrace.frames.count) }
            return (Array(named.prefix(backtrace.frames.count)), backtrace.end)
        }
    }

    /// The frames up to the first caller whose return address is in no loaded image: there the
    /// unwinder has lost track (as in a thread that has not yet left `clone`), and every frame
    /// after it is noise.
    private static func trimmed(_ backtrace: Backtrace) -> (frames: [UnwoundFrame], end: String?) {
        let frames = backtrace.frames
        guard let lost = frames.indices.dropFirst().first(where: { frames[$0].moduleBase == nil }) else {
            return (frames, describe(backtrace.end))
        }
        return (Array(frames[..<lost]), "the next return address, 0x\(String(frames[lost].ip, radix: 16)), is in no loaded code")
    }

    private static func describe(_ end: Backtrace.End) -> String? {
        switch end {
        case .outermostFrame: return nil
        case .frameLimit: return "only the innermost \(maximumFrames) frames are shown"
        case .loop: return "the next frame repeats an earlier one"
        case .failed(let reason): return reason
        }
    }

    /// The C strings a blocked call's string arguments point to, read from the stopped program.
    private func strings(of registers: Registers) -> [Int: [UInt8]] {
        let formats = BlockedCall.formats(of: registers.syscallNumber)
        var strings: [Int: [UInt8]] = [:]
        for (index, (format, address)) in zip(formats, registers.syscallArguments).enumerated() where format == .string {
            strings[index] = try? replay.process.memory.readCString(address, limit: SyscallFormatter.maximumStringLength + 1)
        }
        return strings
    }

    /// The mutex a thread waits for: its futex word, when it is blocked in a futex wait called
    /// from glibc's mutex lock. Other futex waits (condition variables, joins, glibc's internal
    /// locks) have no owner to follow.
    private func mutexWaitedFor(_ thread: StoppedReplay.ThreadState, frames: [SymbolizedFrame]) -> UInt64? {
        guard thread.blockedInSyscall, let address = FutexWait.address(thread.registers),
              frames.contains(where: { $0.locations.contains { Self.isMutexLock($0.function) } })
        else { return nil }
        return address
    }

    /// `pthread_mutex_lock`, `pthread_mutex_timedlock` and `pthread_mutex_clocklock` under
    /// any of glibc's underscored or `__GI_` aliases, and the lock slow path `__lll_lock_wait`
    /// (but not `__lll_lock_wait_private`, which glibc uses for its own locks).
    private static func isMutexLock(_ function: String) -> Bool {
        var name = function.drop { $0 == "_" }
        if name.hasPrefix("GI_") { name = name.dropFirst(3).drop { $0 == "_" } }
        return name == "lll_lock_wait"
            || ["pthread_mutex_lock", "pthread_mutex_timedlock", "pthread_mutex_clocklock"].contains { name.hasPrefix($0) }
    }

    private func stopPoint(requested lastEvent: Int?) -> HangReport.StopPoint {
        if let lastEvent, replay.eventIndex >= lastEvent { return .requestedEvent(lastEvent) }
        if let reason = replay.header.interruptedBy { return .recordingEnded(reason: reason) }
        if let status = replay.header.exitStatus { return .beforeExit(status) }
        return .traceCutOff
    }
}
