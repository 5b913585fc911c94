import Glibc
import Guest
import Syscalls
import Trace

/// Syscalls: recorded at their exit, answered at their entry, or run in the kernel while other
/// threads take the CPU.
extension Recorder {
    func recordSyscall(_ thread: consuming StoppedThread, of recorded: RecordedThread) throws -> RecordingSummary? {
        let entry = try thread.registers()
        let announced = recorded.announcedEntry != nil
        recorded.announcedEntry = nil
        if let reason = refusal(of: entry, by: recorded) {
            try refuse(SyscallTable.name(of: entry.syscallNumber), because: reason)
        }
        let multithreaded = threads.count > 1
        if multithreaded, !announced, Self.now() - currentSince >= Self.timeSlice, threads.othersWaiting(besides: recorded.tid) {
            // Its time is up: it enters this call when it next gets the CPU.
            try announce(entry, of: recorded)
            switchAway(from: recorded, parking: thread, state: .stopped)
            return nil
        }
        let strings = syscalls.captureStrings(entry, memory: thread.memory)
        if let error = StandardStreamPolicy.refusal(for: entry) {
            try answerAtEntry(thread, of: recorded, entry, result: Int64(-error), writes: [], strings: strings)
            return nil
        }
        if let answer = TracerSideSyscalls.answer(
            entry, tid: recorded.tid, pid: recorded.pid, isMainProcess: recorded.pid == leader, memory: thread.memory)
        {
            try answerAtEntry(thread, of: recorded, entry, result: answer.result, writes: answer.writes, strings: strings)
            return nil
        }
        let call = SyscallInFlight(entry: entry, strings: strings)
        if TaskCreation.creates(entry) {
            return try recordTaskCreation(thread, of: recorded, call)
        }
        if SyscallTable.descriptor(for: entry.syscallNumber)?.replay == .replaceImage {
            return try recordExec(thread, of: recorded, call)
        }
        if multithreaded && SyscallTable.mayBlock(entry.syscallNumber, arguments: entry.syscallArguments) {
            if !announced { try announce(entry, of: recorded) }
            recorded.state = .inKernel(call)
            _ = try thread.resume(.syscall)
            current = nil
            return nil
        }
        let tid = recorded.tid
        let owner = thread.process
        _ = try thread.resume(.syscall)
        while true {
            // Alone, a thread may block as long as it likes, but the scheduler loop must still
            // get to see a --timeout or Ctrl-C now and then.
            let waited = try owner.waitForStop(of: tid, timeout: multithreaded ? Self.blockingThreshold : Self.timeSlice * 5)
            guard let outcome = waited else {
                // Taking long: let the others run meanwhile, and the scheduler look for the end.
                if !announced { try announce(entry, of: recorded) }
                recorded.state = .inKernel(call)
                current = nil
                return nil
            }
            switch consume outcome {
            case .ended(let exit):
                recorded.state = .inKernel(call)
                return try threadEnded(tid, exit)
            case .stopped(let next):
                guard next.stop == .syscallExit else {
                    throw RecordError.guestLost("expected the exit of \(SyscallTable.name(of: entry.syscallNumber)), got \(next.stop)")
                }
                if recorded.preemptionRequested, SyscallResult.isRestart(try next.registers().syscallResult) {
                    if !announced { try announce(entry, of: recorded) }
                    return try completeBlockedSyscall(call, next, of: recorded)
                }
                try recordExit(of: call, next, of: recorded)
                return nil
            }
        }
    }

    /// Ends the recording at something rrdbg cannot record yet: the trace so far is kept, and
    /// says why it ended.
    private func refuse(_ what: String, because reason: String) throws -> Never {
        process.killAndReap()
        header.endReason = "refused \(what)"
        try writer.finish(header: completedHeader(status: nil))
        throw RecordError.unsupportedSyscall(name: what, reason: reason, traceDirectory: trace.path)
    }

    /// Why the call at `entry` cannot be recorded, if it cannot.
    private func refusal(of entry: Registers, by recorded: RecordedThread) -> String? {
        guard SyscallTable.descriptor(for: entry.syscallNumber)?.replay == .replaceImage,
              recorded.tid != recorded.pid, threads.count(inProcess: recorded.pid) > 1
        else { return nil }
        return "rrdbg does not record a thread other than the main one executing another program yet"
    }

    /// A blocked syscall's exit stop, reached when its thread got the CPU back.
    func completeBlockedSyscall(
        _ call: SyscallInFlight, _ exitStop: consuming StoppedThread, of recorded: RecordedThread
    ) throws -> RecordingSummary? {
        let result = try exitStop.registers().syscallResult
        if recorded.preemptionRequested && SyscallResult.isRestart(result) {
            // The rrdbg SIGSTOP interrupted the call: that is no result. The stop that follows
            // puts the thread back before the call, which runs again from its announced entry.
            recorded.announcedEntry = call.entry
            recorded.state = .running
            _ = try exitStop.resume(.cont)
            return nil
        }
        try recordExit(of: call, exitStop, of: recorded)
        return nil
    }

    /// Records a call from its exit stop and lets the thread run on.
    func recordExit(of call: SyscallInFlight, _ exitStop: consuming StoppedThread, of recorded: RecordedThread) throws {
        let exitRegisters = try exitStop.registers()
        let event = try syscalls.event(
            tid: recorded.tid, entry: call.entry, result: exitRegisters.syscallResult, strings: call.strings,
            memory: exitStop.memory)
        try writer.append(.syscall(event))
        recorded.announcedEntry = nil
        recorded.registersAtLastSyscallExit = exitRegisters
        try resume(exitStop, of: recorded, signal: 0)
    }

    /// Records that the thread reached the entry of the call at `entry` before other threads
    /// run; its result follows as the thread's next syscall event.
    func announce(_ entry: Registers, of recorded: RecordedThread) throws {
        try writer.append(.syscallEntered(SyscallEntryEvent(tid: recorded.tid, registers: RegisterFile(entry.values))))
        recorded.announcedEntry = entry
    }

    /// Completes a syscall at its seccomp stop without the kernel: the call is skipped and
    /// returns `result`; `writes` are already in guest memory.
    private func answerAtEntry(
        _ thread: consuming StoppedThread, of recorded: RecordedThread, _ entry: Registers, result: Int64,
        writes: [MemoryWrite], strings: [Int: [UInt8]]
    ) throws {
        var answered = entry
        answered.origRax = UInt64.max
        answered.rax = UInt64(bitPattern: result)
        try thread.setRegisters(answered)
        try writer.append(.syscall(SyscallEvent(
            tid: recorded.tid, registers: RegisterFile(entry.values), result: result, memoryWrites: writes,
            strings: strings)))
        recorded.registersAtLastSyscallExit = answered
        try resume(thread, of: recorded, signal: 0)
    }
}
