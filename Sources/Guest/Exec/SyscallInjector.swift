import Glibc
import Syscalls

/// Why an injected syscall could not complete.
public struct InjectionError: Error, CustomStringConvertible {
    public var description: String
}

/// A thread back at its syscall-exit stop after an injected call, and that call's result.
public struct InjectedSyscall: ~Copyable {
    public var thread: StoppedThread
    public var result: Int64
    /// The new process's pid, for an injected fork or clone.
    public var forkedChild: pid_t?

    /// The stopped thread, to carry on with once the result has been looked at.
    public consuming func takeThread() -> StoppedThread {
        thread
    }
}

/// Runs a syscall of rrdbg's choosing inside the guest, invisibly to it.
///
/// The thread must be at a syscall-exit stop, where register changes take effect when it
/// resumes, at a signal stop whose signal is discarded, or at a seccomp stop. In the first two
/// the two bytes at `instructionAddress` are temporarily replaced by a `syscall` instruction;
/// at a seccomp stop the injected call takes the place of the pending one, which then enters
/// again from the program's own `syscall` instruction and stops at the same seccomp stop.
/// Afterwards memory and registers are restored exactly, so record and replay inject the same
/// calls at the same points without the guest seeing a difference.
public enum SyscallInjector {
    public static func inject(
        _ call: Syscall, _ arguments: [UInt64], into thread: consuming StoppedThread,
        instructionAddress: UInt64
    ) throws -> InjectedSyscall {
        switch thread.stop {
        case .syscallExit, .signal: break
        case .seccomp: return try injectInPlaceOfPendingCall(call, arguments, into: thread)
        default: throw InjectionError(description: "syscall injection needs a syscall-exit, signal or seccomp stop, not \(thread.stop)")
        }
        let saved = try thread.registers()
        let savedCode = try thread.memory.read(instructionAddress, count: 2)
        try thread.memory.write([0x0f, 0x05], at: instructionAddress)
        var registers = saved
        registers.rip = instructionAddress
        registers.rax = UInt64(call.rawValue)
        registers.origRax = UInt64(call.rawValue)
        registers.syscallArguments = arguments + [UInt64](repeating: 0, count: 6 - arguments.count)
        try thread.setRegisters(registers)

        var entered = false
        var forkedChild: pid_t?
        var current = thread
        while true {
            let outcome = try current.resume(.syscall).wait()
            switch consume outcome {
            case .ended(let exit):
                throw InjectionError(description: "the guest ended (\(exit)) during an injected syscall \(call.name)")
            case .stopped(let next):
                switch next.stop {
                case .syscallEntry, .seccomp:
                    entered = true
                    current = next
                case .syscallExit where entered:
                    let result = try next.registers().syscallResult
                    try next.memory.write(savedCode, at: instructionAddress)
                    try next.setRegisters(saved)
                    return InjectedSyscall(thread: next, result: result, forkedChild: forkedChild)
                case .syscallExit:
                    current = next
                case .event(PtraceEvent.fork.rawValue), .event(PtraceEvent.clone.rawValue):
                    forkedChild = pid_t(truncatingIfNeeded: try next.eventMessage())
                    current = next
                case let other:
                    throw InjectionError(description: "unexpected \(other) during an injected syscall \(call.name)")
                }
            }
        }
    }

    /// Injects at a seccomp stop: the pending call is swapped for the injected one, and once
    /// that has returned the thread goes back to its `syscall` instruction to enter the
    /// pending call again.
    private static func injectInPlaceOfPendingCall(
        _ call: Syscall, _ arguments: [UInt64], into thread: consuming StoppedThread
    ) throws -> InjectedSyscall {
        let saved = try thread.registers()
        var registers = saved
        registers.origRax = UInt64(call.rawValue)
        registers.syscallArguments = arguments + [UInt64](repeating: 0, count: 6 - arguments.count)
        try thread.setRegisters(registers)
        var forkedChild: pid_t?
        var current = thread
        while true {
            let outcome = try current.resume(.syscall).wait()
            switch consume outcome {
            case .ended(let exit):
                throw InjectionError(description: "the guest ended (\(exit)) during an injected syscall \(call.name)")
            case .stopped(let next):
                switch next.stop {
                case .syscallExit:
                    let result = try next.registers().syscallResult
                    return InjectedSyscall(thread: try reenter(saved, next), result: result, forkedChild: forkedChild)
                case .event(PtraceEvent.fork.rawValue), .event(PtraceEvent.clone.rawValue):
                    forkedChild = pid_t(truncatingIfNeeded: try next.eventMessage())
                    current = next
                case let other:
                    throw InjectionError(description: "unexpected \(other) during an injected syscall \(call.name)")
                }
            }
        }
    }

    /// Brings a thread of the guest back to the seccomp stop whose registers were `seccompStop`:
    /// from its `syscall` instruction, with the call's number in rax, it enters the call again.
    public static func reenter(_ seccompStop: Registers, _ thread: consuming StoppedThread) throws -> StoppedThread {
        var registers = seccompStop
        registers.rip &-= 2
        registers.rax = seccompStop.origRax
        try thread.setRegisters(registers)
        let outcome = try thread.resume(.cont).wait()
        switch consume outcome {
        case .ended(let exit):
            throw InjectionError(description: "the guest ended (\(exit)) entering its call again")
        case .stopped(let stopped):
            guard stopped.stop == .seccomp, try stopped.registers() == seccompStop else {
                throw InjectionError(description: "entering its call again, the guest stopped at \(stopped.stop) instead")
            }
            return stopped
        }
    }
}
