import Glibc
import Guest
import Trace

extension SignalEvent.Origin {
    /// Decides how replay can reproduce a signal.
    ///
    /// Faults raised by the kernel for the current instruction (`si_code` > 0 for SIGSEGV, SIGBUS,
    /// SIGFPE, SIGILL, SIGTRAP) recur by themselves when replay executes the same instruction.
    /// A signal whose delivery stop shows exactly the registers of the last syscall exit arrived on
    /// that syscall's return, so replay can send it again at the same event. Anything else landed
    /// in the middle of user code.
    static func classify(signal: Int32, siginfo: [UInt8], registers: Registers, atLastSyscallExit: Registers?)
        -> SignalEvent.Origin
    {
        let code = siginfo[8..<12].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        let faults: Set<Int32> = [SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP]
        if faults.contains(signal) && code > 0 { return .synchronous }
        if let exitRegisters = atLastSyscallExit, exitRegisters == registers { return .atSyscallExit }
        return .asynchronous
    }
}
