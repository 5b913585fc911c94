import Foundation
import Glibc
import Guest
import Syscalls
import Trace

/// Signal stops: trapped instructions, real signals, and the scheduler's own preemptions.
extension Recorder {
    func recordSignal(_ signal: Int32, _ thread: consuming StoppedThread, of recorded: RecordedThread) throws {
        if signal == SIGSTOP && recorded.preemptionRequested {
            try preempt(thread, of: recorded)
            return
        }
        let registers = try thread.registers()
        guard let siginfo = try? thread.signalInfo() else {
            // PTRACE_GETSIGINFO fails only at a group-stop: a stop signal's default action took
            // effect (the kernel has told the real parent). The thread stays stopped, as it
            // would untraced, until a SIGCONT arrives.
            recorded.state = .groupStopped
            recorded.parked = consume thread
            current = nil
            return
        }
        if let instruction = TrappedInstruction.decode(signal: signal, siginfo: siginfo, at: registers.rip, memory: thread.memory) {
            let result = TrapResult.execute(instruction, registers: registers)
            try thread.setRegisters(result.apply(to: registers, instruction: instruction))
            try writer.append(.instruction(InstructionTrapEvent(
                tid: recorded.tid, kind: InstructionTrapEvent.Kind(rawValue: instruction.rawValue)!,
                registers: RegisterFile(registers.values), rax: result.rax, rbx: result.rbx, rcx: result.rcx, rdx: result.rdx)))
            recorded.registersAtLastSyscallExit = nil
            try resume(thread, of: recorded, signal: 0)
            return
        }
        let origin = SignalEvent.Origin.classify(
            signal: signal, siginfo: siginfo, registers: registers, atLastSyscallExit: recorded.registersAtLastSyscallExit)
        if origin == .asynchronous {
            // It landed in the middle of user code: the thread's whole state there tells replay
            // where, since no counter can.
            try writer.append(.asyncPoint(try asyncPoint(of: thread, reason: .signal)))
        }
        try writer.append(.signal(SignalEvent(
            tid: recorded.tid, signal: signal, origin: origin, siginfo: siginfo, registers: RegisterFile(registers.values))))
        recorded.registersAtLastSyscallExit = nil
        try resume(thread, of: recorded, signal: signal)
    }

    /// The stop of the SIGSTOP that took the CPU from a thread running user code.
    private func preempt(_ thread: consuming StoppedThread, of recorded: RecordedThread) throws {
        recorded.preemptionRequested = false
        var registers = try thread.registers()
        if registers.syscallNumber >= 0 && SyscallResult.isRestart(registers.syscallResult) {
            // The SIGSTOP interrupted a call that had just begun; put the thread back before it.
            registers.rip -= 2
            registers.rax = registers.origRax
            registers.origRax = UInt64.max
            try thread.setRegisters(registers)
        } else {
            try writer.append(.asyncPoint(try asyncPoint(of: thread, reason: .preempted)))
        }
        switchAway(from: recorded, parking: thread, state: .readyToResume(signal: 0))
    }

    /// The thread's complete state at a stop in user code.
    func asyncPoint(of thread: borrowing StoppedThread, reason: AsyncPointEvent.Reason) throws -> AsyncPointEvent {
        let registers = try thread.registers()
        let pages = try ResidentPages.snapshot(thread.memory).map { MemoryWrite(address: $0.address, bytes: $0.bytes) }
        return AsyncPointEvent(
            tid: thread.tid, reason: reason, registers: RegisterFile(registers.values),
            extendedState: try thread.extendedState(), pages: pages)
    }
}

/// Job control: processes stopped by a stop signal and continued by SIGCONT.
extension Recorder {
    /// Lets every group-stopped thread that has a SIGCONT pending run on; it then stops for
    /// the SIGCONT, which is recorded like any signal.
    func continueGroupStoppedThreads() throws {
        for thread in threads.threads.values {
            guard case .groupStopped = thread.state, Self.hasPendingContinue(thread.tid), let stopped = thread.parked.take() else {
                continue
            }
            thread.state = .readyToResume(signal: 0)
            thread.parked = consume stopped
            threads.enqueue(thread)
        }
    }

    /// Whether SIGCONT is pending for thread `tid` or its process, from `/proc/TID/status`.
    private static func hasPendingContinue(_ tid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(tid)/status", encoding: .utf8) else { return false }
        let continueBit: UInt64 = 1 << UInt64(SIGCONT - 1)
        for line in status.split(separator: "\n") where line.hasPrefix("SigPnd:") || line.hasPrefix("ShdPnd:") {
            if let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16), mask & continueBit != 0 { return true }
        }
        return false
    }
}
