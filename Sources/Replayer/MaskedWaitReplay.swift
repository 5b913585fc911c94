import Glibc
import Guest
import Syscalls
import Trace

/// A descriptor wait with a signal mask of its own (`ppoll`, `pselect6`, `epoll_pwait`: the
/// calls with a `waitSignalMask`) interrupted by a signal that this mask let in.
///
/// Emulating such a call leaves the thread's normal mask in place, under which the recorded
/// signal may be blocked, so it would never arrive. Replay therefore runs a stand-in that
/// installs the same mask the same way: `ppoll` with no descriptors and the call's mask, with
/// the signal already pending. It returns at once, and the kernel delivers the signal under that
/// mask and restores the old one after the handler, exactly as for the recorded call.
extension SyscallReplayer {
    /// Whether the recorded call is a masked wait that a signal delivered on its return
    /// interrupted, with a mask of its own.
    func isInterruptedMaskedWait(_ recorded: SyscallEvent, memory: GuestMemory) throws -> Bool {
        guard SyscallTable.descriptor(for: recorded.number)?.waitSignalMask != nil,
              recorded.result == -Int64(EINTR) || SyscallResult.isRestart(recorded.result),
              try signalRecordedOnReturn() != nil
        else { return false }
        return try signalMask(of: recorded.number, recorded.arguments, memory: memory) != nil
    }

    /// The call's signal mask argument: its address and size.
    private func signalMask(of number: Int, _ arguments: [UInt64], memory: GuestMemory) throws -> (address: UInt64, size: UInt64)? {
        let mask: (UInt64, UInt64)
        switch SyscallTable.descriptor(for: number)?.waitSignalMask {
        case .arguments(let address, let size)?:
            mask = (arguments[address], arguments[size])
        case .pair(let pairArgument)?:
            guard arguments[pairArgument] != 0 else { return nil }
            let pair = try memory.read(arguments[pairArgument], count: 16)
            let word = { (offset: Int) in pair[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            mask = (word(0), word(8))
        case nil:
            return nil
        }
        return mask.0 == 0 ? nil : mask
    }

    func replayInterruptedMaskedWait(
        _ thread: consuming StoppedThread, _ registers: Registers, _ recorded: SyscallEvent, event: Int, what: String,
        then: Continuation
    ) throws -> Applied {
        guard let mask = try signalMask(of: recorded.number, recorded.arguments, memory: thread.memory) else {
            throw ReplayError.unreplayable(event: event, reason: "\(what) has no signal mask")
        }
        var standIn = registers
        standIn.origRax = UInt64(Syscall.ppoll.rawValue)
        standIn.syscallArguments = [0, 0, 0, mask.address, mask.size, 0]
        try thread.setRegisters(standIn)
        try sendSignalRecordedOnReturn(thread)
        let outcome = try runToExit(thread, event: event, what: what)
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let exitStop):
            var returned = try exitStop.registers()
            returned.origRax = registers.origRax
            returned.rax = UInt64(bitPattern: recorded.result)
            returned.syscallArguments = registers.syscallArguments
            try exitStop.setRegisters(returned)
            try writeRecordedOutputs(of: recorded, to: exitStop.memory)
            return try finish(exitStop, then: then)
        }
    }
}
