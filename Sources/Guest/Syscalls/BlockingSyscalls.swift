/// Syscalls that may wait for another thread, another process or the outside world.
///
/// One guest thread runs at a time, so a thread that blocks in the kernel must give up its
/// turn, or the thread that would wake it never runs. The scheduler lets these calls run in the
/// kernel at once while other threads run. A call not listed here that takes long anyway (a
/// `write` to a full pipe) is noticed by a short timeout instead; this list saves that wait
/// for the calls that block most.
public enum BlockingSyscalls {
    private static let alwaysMayBlock: Set<Int> = [
        0, 17, 19, 295,  // read, pread64, readv, preadv
        7, 23, 270, 271,  // poll, select, pselect6, ppoll
        232, 281, 441,  // epoll_wait, epoll_pwait, epoll_pwait2
        34, 35, 230,  // pause, nanosleep, clock_nanosleep
        43, 288, 42,  // accept, accept4, connect
        45, 47, 299,  // recvfrom, recvmsg, recvmmsg
        61, 247,  // wait4, waitid
        128, 130,  // rt_sigtimedwait, rt_sigsuspend
        65, 220, 69, 70,  // semop, semtimedop, msgsnd, msgrcv
        73,  // flock
        208,  // io_getevents
        242, 243,  // mq_timedsend, mq_timedreceive
        24,  // sched_yield: not blocking, but an explicit offer of the CPU
    ]
    private static let futex = 202
    private static let fcntl = 72

    /// True when the call at a syscall entry with these registers may block.
    public static func mayBlock(_ registers: Registers) -> Bool {
        let number = registers.syscallNumber
        if alwaysMayBlock.contains(number) { return true }
        let arguments = registers.syscallArguments
        switch number {
        case futex:
            // FUTEX_WAIT, FUTEX_LOCK_PI, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_LOCK_PI2.
            let command = arguments[1] & 0x7f
            return [0, 6, 9, 11, 13].contains(command)
        case fcntl:
            // F_SETLKW, F_OFD_SETLKW.
            return arguments[1] == 7 || arguments[1] == 38
        default:
            return false
        }
    }
}
