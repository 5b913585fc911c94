import Glibc
import Guest
import Syscalls
import Trace
import X86Registers

/// Reproduces one recorded syscall in the replaying guest.
///
/// Most calls are emulated: the call is skipped (orig_rax = -1) and the recorded result and
/// memory are put in place, all at the single seccomp stop. Calls that shape the replaying
/// process run for real and must produce the recorded result. `mmap` places anonymous memory
/// at the recorded address and fills it from the trace's copy of the file, so the original
/// files are never needed.
final class SyscallReplayer {
    private let trace: TraceDirectory
    private let cursor: EventCursor
    private let files = ArchivedFileCache()
    /// See `ReplayEngine.echoesOutput`.
    var echoesOutput = true
    /// See `ReplayEngine.observer`.
    weak var observer: (any ReplayObserver)?

    static let protWrite: UInt64 = 0x02
    static let mapShared: UInt64 = 0x01
    static let mapPrivate: UInt64 = 0x02
    static let mapFixed: UInt64 = 0x10
    static let mapAnonymous: UInt64 = 0x20
    static let mapFixedNoReplace: UInt64 = 0x100000
    static let mapTypeMask: UInt64 = 0x0f

    /// The trace's format version, which decides how output to echo is recognised.
    private let formatVersion: Int

    init(trace: TraceDirectory, cursor: EventCursor, formatVersion: Int) {
        self.trace = trace
        self.cursor = cursor
        self.formatVersion = formatVersion
    }

    func replay(_ thread: consuming StoppedThread, _ recorded: SyscallEvent, index: Int, then: Continuation) throws -> Applied {
        var registers = try thread.registers()
        // A debugger single-stepping onto `syscall` leaves the trap flag in the copy of rflags
        // the CPU saves in r11; the program must see r11 as it was recorded.
        if registers[.r11] != recorded.registers[.r11], registers[.r11] & ~EFlags.trap == recorded.registers[.r11] {
            registers[.r11] = recorded.registers[.r11]
            try thread.setRegisters(registers)
        }
        let name = SyscallTable.name(of: recorded.number)
        let what = "syscall \(name)"
        guard registers.syscallNumber == recorded.number else {
            throw ReplayError.diverged(
                event: index, what: what, expected: "\(name) at rip=0x\(String(recorded.registers.rip, radix: 16))",
                got: "\(SyscallTable.name(of: registers.syscallNumber)) at rip=0x\(String(registers.rip, radix: 16))")
        }
        try RegisterCheck.require(registers, equal: recorded.registers, event: index, what: what)
        try checkStrings(recorded, memory: thread.memory, event: index, what: what)

        let action = recorded.flags.contains(.unknown) ? .emulate : (SyscallTable.descriptor(for: recorded.number)?.replay ?? .emulate)
        switch action {
        case .emulate where try isInterruptedMaskedWait(recorded, memory: thread.memory):
            return try replayInterruptedMaskedWait(thread, registers, recorded, event: index, what: what, then: then)
        case .emulate:
            try checkOutgoingData(recorded, memory: thread.memory, event: index, what: what)
            try writeRecordedOutputs(of: recorded, to: thread.memory)
            return try skip(thread, registers, returning: recorded.result, then: then)
        case .execute, .executeForcingResult:
            return try execute(thread, recorded, forcingResult: action == .executeForcingResult, event: index, what: what, then: then)
        case .mapMemory:
            return try map(thread, registers, recorded, event: index, what: what, then: then)
        case .exit:
            return .running(try thread.resume(.cont))
        case .createTask, .replaceImage:
            // Only failed calls come here: the engine replays the ones that created a task
            // or replaced the image.
            return try skip(thread, registers, returning: recorded.result, then: then)
        }
    }

    /// Puts the memory the recorded call's kernel wrote in place.
    func writeRecordedOutputs(of recorded: SyscallEvent, to memory: GuestMemory) throws {
        for write in recorded.memoryWrites {
            try memory.write(write.bytes, at: write.address)
        }
    }

    /// Paths and other strings the call reads must match: a cheap check that the replay is
    /// asking for the same thing the recording did.
    private func checkStrings(_ recorded: SyscallEvent, memory: GuestMemory, event: Int, what: String) throws {
        for (index, expected) in recorded.strings.sorted(by: { $0.key < $1.key }) {
            let actual = try memory.readCString(recorded.arguments[index], limit: max(expected.count + 1, 1))
            guard actual == expected else {
                throw ReplayError.diverged(
                    event: event, what: what,
                    expected: "argument \(index) \"\(String(decoding: expected, as: UTF8.self))\"",
                    got: "\"\(String(decoding: actual, as: UTF8.self))\"")
            }
        }
    }

    /// Compares what a write-family call sends with the recorded digest, and echoes the output
    /// that reached rrdbg's stdout and stderr, both from the replaying process's own memory.
    private func checkOutgoingData(_ recorded: SyscallEvent, memory: GuestMemory, event: Int, what: String) throws {
        let destination = OutputEcho.destination(of: recorded, formatVersion: formatVersion)
        guard recorded.inputDigest != nil || destination != nil, recorded.result > 0 else { return }
        let outgoing = SyscallTable.descriptor(for: recorded.number)?.outgoingData
        let bytes = try outgoing?.bytes(recorded.arguments, count: Int(recorded.result), memory: memory) ?? []
        if let expected = recorded.inputDigest, InputDigest.of(bytes) != expected {
            throw ReplayError.diverged(
                event: event, what: what, expected: "the recorded \(recorded.result) bytes of output",
                got: "different bytes: \"\(OutputPreview.of(bytes))\"")
        }
        if let destination, echoesOutput { OutputEcho.emit(bytes, to: destination) }
    }

    /// Skips the call at its seccomp stop: the kernel does not run it and the guest sees `result`.
    /// Pausing needs the call's exit stop, which only `PTRACE_SYSCALL` produces.
    private func skip(
        _ thread: consuming StoppedThread, _ registers: Registers, returning result: Int64, then: Continuation
    ) throws -> Applied {
        var skipped = registers
        skipped.origRax = UInt64.max
        skipped.rax = UInt64(bitPattern: result)
        try thread.setRegisters(skipped)
        if SyscallResult.isRestart(result) {
            if try signalRecordedOnReturn() != nil {
                return try skipInterrupted(thread, registers, returning: result, then: then)
            }
            // A signal woke the call but another thread took it: the kernel ran the call
            // again, which the next event shows. Back to the syscall instruction, as it did.
            var restarted = skipped
            restarted.rip &-= 2
            restarted.rax = result == Self.restartBlock ? UInt64(Syscall.restart_syscall.rawValue) : registers.origRax
            try thread.setRegisters(restarted)
            return try resumeSkipped(thread, then: then)
        }
        try sendSignalRecordedOnReturn(thread)
        return try resumeSkipped(thread, then: then)
    }

    /// Continues a thread whose call was skipped at its seccomp stop.
    private func resumeSkipped(_ thread: consuming StoppedThread, then: Continuation) throws -> Applied {
        switch then {
        case .resume(let mode):
            return .running(try thread.resume(mode))
        case .pause:
            let outcome = try runToExit(thread, event: cursor.index, what: "syscall")
            switch consume outcome {
            case .ended(let exit): return .ended(exit)
            case .stopped(let exitStop): return .paused(exitStop, pendingSignal: 0)
            }
        }
    }

    /// A call the recording saw interrupted by a signal returns a restart code, and signal
    /// delivery decides whether the call runs again or fails with `EINTR`. The kernel does that
    /// only for a thread leaving a real syscall, so the skipped call's exit stop gets the call's
    /// number back before the signal is sent.
    private func skipInterrupted(
        _ thread: consuming StoppedThread, _ registers: Registers, returning result: Int64, then: Continuation
    ) throws -> Applied {
        let outcome = try runToExit(thread, event: cursor.index, what: "syscall")
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let exitStop):
            var interrupted = try exitStop.registers()
            interrupted.origRax = registers.origRax
            interrupted.rax = UInt64(bitPattern: result)
            try exitStop.setRegisters(interrupted)
            try sendSignalRecordedOnReturn(exitStop)
            return try finish(exitStop, then: then)
        }
    }

    /// Resumes a thread at a syscall-exit stop as `then` says.
    func finish(_ exitStop: consuming StoppedThread, then: Continuation) throws -> Applied {
        switch then {
        case .resume(let mode): return .running(try exitStop.resume(mode))
        case .pause: return .paused(exitStop, pendingSignal: 0)
        }
    }

    /// Lets the kernel run the call and returns the thread at its syscall-exit stop.
    func runToExit(_ thread: consuming StoppedThread, event: Int, what: String) throws -> WaitOutcome {
        let outcome = try thread.resume(.syscall).wait()
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let exitStop):
            guard exitStop.stop == .syscallExit else {
                throw ReplayError.diverged(event: event, what: what, expected: "the call to return", got: "\(exitStop.stop)")
            }
            return .stopped(exitStop)
        }
    }

    private func execute(
        _ thread: consuming StoppedThread, _ recorded: SyscallEvent, forcingResult: Bool, event: Int, what: String,
        then: Continuation
    ) throws -> Applied {
        // A signal the recording delivered on the call's return is made pending before the call
        // runs: a call that blocks until a signal arrives (rt_sigsuspend) then returns at once.
        try sendSignalRecordedOnReturn(thread)
        let outcome = try runToExit(thread, event: event, what: what)
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let exitStop):
            var registers = try exitStop.registers()
            if forcingResult {
                registers.rax = UInt64(bitPattern: recorded.result)
                try exitStop.setRegisters(registers)
            } else if registers.syscallResult != recorded.result {
                throw ReplayError.diverged(
                    event: event, what: what, expected: "result \(recorded.result)", got: "result \(registers.syscallResult)")
            }
            // What the call reported (an old signal action, say) is what the recording saw.
            try writeRecordedOutputs(of: recorded, to: exitStop.memory)
            return try finish(exitStop, then: then)
        }
    }

    /// Replays an `mmap` as anonymous memory at exactly the recorded address, filled from the
    /// archived file for file-backed mappings. Without `MAP_FIXED` in the original call,
    /// `MAP_FIXED_NOREPLACE` makes the kernel fail rather than pick another address.
    private func map(
        _ thread: consuming StoppedThread, _ registers: Registers, _ recorded: SyscallEvent, event: Int, what: String,
        then: Continuation
    ) throws -> Applied {
        if SyscallResult.isError(recorded.result) {
            return try skip(thread, registers, returning: recorded.result, then: then)
        }
        let address = UInt64(bitPattern: recorded.result)
        var arguments = registers.syscallArguments
        let length = arguments[1]
        // Writable shared memory stays shared, as anonymous shared memory: processes forked
        // afterwards then see each other's writes, as they did through the file or mapping.
        // (Read-only shared memory is private: the kernel refuses to fill it in for rrdbg.)
        let writable = arguments[2] & Self.protWrite != 0
        let type = arguments[3] & Self.mapTypeMask != Self.mapPrivate && writable ? Self.mapShared : Self.mapPrivate
        var flags = (arguments[3] & ~Self.mapTypeMask) | type | Self.mapAnonymous
        if arguments[3] & Self.mapFixed == 0 { flags |= Self.mapFixedNoReplace }
        arguments[0] = address
        arguments[3] = flags
        arguments[4] = UInt64.max
        arguments[5] = 0
        var rewritten = registers
        rewritten.syscallArguments = arguments
        try thread.setRegisters(rewritten)

        let outcome = try runToExit(thread, event: event, what: what)
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let exitStop):
            let result = try exitStop.registers().syscallResult
            guard result == recorded.result else {
                throw ReplayError.diverged(
                    event: event, what: what, expected: "memory mapped at 0x\(String(address, radix: 16))",
                    got: "mmap result 0x\(String(UInt64(bitPattern: result), radix: 16))")
            }
            // The guest must not see the rewritten arguments.
            var restored = try exitStop.registers()
            restored.syscallArguments = registers.syscallArguments
            try exitStop.setRegisters(restored)
            if let file = recorded.mappedFile {
                let contents = try files.contents(of: file.fileHash, in: trace)
                let start = Int(clamping: file.fileOffset)
                if start < contents.count {
                    let end = min(contents.count, start + Int(clamping: length))
                    try exitStop.memory.write(Array(contents[start..<end]), at: address)
                }
            }
            observer?.memoryMapped(address..<address &+ length, in: exitStop.memory)
            try sendSignalRecordedOnReturn(exitStop)
            return try finish(exitStop, then: then)
        }
    }

    /// If the recording delivered a signal as this syscall returned, makes it pending again so
    /// that it is delivered at the same point.
    func sendSignalRecordedOnReturn(_ thread: borrowing StoppedThread) throws {
        guard let signal = try signalRecordedOnReturn() else { return }
        try thread.process.signalThread(thread.tid, signal)
    }

    /// The signal the recording delivered as the current syscall returned, if it did.
    func signalRecordedOnReturn() throws -> Int32? {
        guard case .signal(let signal)? = try cursor.peek(), signal.origin == .atSyscallExit else { return nil }
        return signal.signal
    }

    /// `-ERESTART_RESTARTBLOCK`, which the kernel turns into a call of `restart_syscall`.
    static let restartBlock: Int64 = -516
}
