import Syscalls

/// How rrdbg runs the calls that create threads and processes.
///
/// `vfork` (and `clone` with `CLONE_VFORK`) suspends the parent inside the kernel until the
/// child execs or exits, and lets the child run on the parent's memory. One-thread-at-a-time
/// scheduling cannot give the CPU to a child whose parent is stuck in the kernel mid-call, so
/// both are run as plain forks, while recording and in replay alike. A program that uses
/// `vfork` as POSIX allows (the child only execs or exits) sees no difference.
///
/// In replay, new processes are created without an exit signal: their real SIGCHLD would
/// reach the replaying parent at moments the recording knows nothing of. The recorded SIGCHLDs
/// are replayed from the trace like every other signal.
public enum TaskCreation {
    /// True for calls that create a thread or process.
    public static func creates(_ registers: Registers) -> Bool {
        SyscallTable.descriptor(for: registers.syscallNumber)?.replay == .createTask
    }

    /// True when the call creates a process rather than a thread.
    public static func createsProcess(_ registers: Registers) -> Bool {
        switch registers.syscall {
        case .fork?, .vfork?: return true
        case .clone?: return registers.syscallArguments[0] & CloneFlags.thread == 0
        default: return false
        }
    }

    /// The registers to run the call with while recording: vfork becomes fork.
    public static func forRecording(_ registers: Registers) -> Registers {
        var rewritten = registers
        switch registers.syscall {
        case .vfork?:
            rewritten.origRax = UInt64(Syscall.fork.rawValue)
        case .clone? where createsProcess(registers):
            var arguments = registers.syscallArguments
            arguments[0] &= ~(CloneFlags.vfork | CloneFlags.vm)
            rewritten.syscallArguments = arguments
        default:
            break
        }
        return rewritten
    }

    /// The registers to run the call with in replay: as recorded, and without an exit signal
    /// for a new process (fork becomes a `clone` with no flags).
    public static func forReplay(_ registers: Registers) -> Registers {
        guard createsProcess(registers) else { return registers }
        var rewritten = registers
        var arguments = registers.syscallArguments
        if registers.syscall == .clone {
            arguments[0] &= ~(CloneFlags.vfork | CloneFlags.vm | CloneFlags.exitSignalMask)
        } else {
            arguments = [0, 0, 0, 0, 0, arguments[5]]
        }
        rewritten.origRax = UInt64(Syscall.clone.rawValue)
        rewritten.syscallArguments = arguments
        return rewritten
    }
}
