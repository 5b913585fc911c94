import Guest
import Syscalls

/// Recognises a thread waiting on a futex from its registers, which is how a thread blocked in
/// `pthread_mutex_lock` looks to a tracer: glibc's lock slow path calls `futex(&mutex->__lock,
/// FUTEX_WAIT_PRIVATE, 2, NULL)`, so the futex address is the mutex's address.
public enum FutexWait {
    /// The futex address if `registers` are those of a thread in (or stopped at the entry of)
    /// a `futex` syscall that waits; nil for other syscalls and for futex wake-ups. Which
    /// operations wait is the syscall table's `futex` blocking rule.
    ///
    /// It reads `orig_rax`, which holds the syscall number both at a syscall-entry or seccomp
    /// stop and while the thread is blocked in (or was interrupted out of) the call.
    public static func address(_ registers: Registers) -> UInt64? {
        guard registers.syscall == .futex,
              SyscallTable.mayBlock(registers.syscallNumber, arguments: registers.syscallArguments)
        else { return nil }
        return registers.rdi
    }
}
