import Guest

/// Recognises a thread waiting on a futex from its registers, which is how a thread blocked in
/// `pthread_mutex_lock` looks to a tracer: glibc's lock slow path calls `futex(&mutex->__lock,
/// FUTEX_WAIT_PRIVATE, 2, NULL)`, so the futex address is the mutex's address.
public enum FutexWait {
    public static let syscallNumber: UInt64 = 202

    /// The operations that block until the futex word changes or the lock is handed over.
    private static let waitingOperations: Set<UInt64> = [
        0,  // FUTEX_WAIT
        6,  // FUTEX_LOCK_PI
        9,  // FUTEX_WAIT_BITSET
        11,  // FUTEX_WAIT_REQUEUE_PI
        13,  // FUTEX_LOCK_PI2
    ]
    /// FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME: modifiers, not part of the operation.
    private static let operationFlags: UInt64 = 128 | 256

    /// The futex address if `registers` are those of a thread in (or stopped at the entry of)
    /// a `futex` syscall that waits; nil for other syscalls and for futex wake-ups.
    ///
    /// It reads `orig_rax`, which holds the syscall number both at a syscall-entry or seccomp
    /// stop and while the thread is blocked in (or was interrupted out of) the call.
    public static func address(_ registers: Registers) -> UInt64? {
        guard registers.origRax == syscallNumber,
              waitingOperations.contains(registers.rsi & 0xffff_ffff & ~operationFlags)
        else { return nil }
        return registers.rdi
    }
}
