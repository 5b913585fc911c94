import Glibc
import Guest
import Trace

/// Syscalls the recorder answers itself at the seccomp stop, skipping the kernel.
///
/// A recorded syscall normally costs two ptrace stops (entry and exit). For calls whose answer
/// the recorder can compute exactly as the kernel would (the guest's ids and the system clocks),
/// answering at entry saves the second stop, which roughly halves the cost of the time calls
/// that programs make in loops. Anything unusual (a NULL or unwritable pointer, a per-process
/// CPU clock, a timezone argument) is left to the kernel.
enum TracerSideSyscalls {
    static let getpid = 39
    static let getppid = 110
    static let gettid = 186
    static let clockGettime = 228
    static let gettimeofday = 96
    static let time = 201

    /// Clocks whose value does not depend on which process reads them.
    static let systemClocks: Set<UInt64> = [
        UInt64(CLOCK_REALTIME), UInt64(CLOCK_MONOTONIC), UInt64(CLOCK_MONOTONIC_RAW),
        UInt64(CLOCK_REALTIME_COARSE), UInt64(CLOCK_MONOTONIC_COARSE), UInt64(CLOCK_BOOTTIME),
        UInt64(CLOCK_TAI),
    ]

    /// The call's result and the memory it wrote, already written to the guest; nil to let the
    /// kernel run the call.
    /// `getppid` is answered for the main process only: the parent of a forked process is
    /// another guest process, which the kernel knows.
    static func answer(_ entry: Registers, tid: Int32, pid: Int32, isMainProcess: Bool, memory: GuestMemory) -> (result: Int64, writes: [MemoryWrite])? {
        let arguments = entry.syscallArguments
        switch entry.syscallNumber {
        case getpid:
            return (Int64(pid), [])
        case gettid:
            return (Int64(tid), [])
        case getppid where isMainProcess:
            return (Int64(Glibc.getpid()), [])
        case clockGettime where systemClocks.contains(arguments[0]) && arguments[1] != 0:
            var now = timespec()
            clock_gettime(clockid_t(arguments[0]), &now)
            return store([UInt64(bitPattern: Int64(now.tv_sec)), UInt64(bitPattern: Int64(now.tv_nsec))], at: arguments[1], result: 0, memory: memory)
        case gettimeofday where arguments[0] != 0 && arguments[1] == 0:
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return store([UInt64(bitPattern: Int64(now.tv_sec)), UInt64(now.tv_nsec / 1000)], at: arguments[0], result: 0, memory: memory)
        case time:
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let seconds = Int64(now.tv_sec)
            if arguments[0] == 0 { return (seconds, []) }
            return store([UInt64(bitPattern: seconds)], at: arguments[0], result: seconds, memory: memory)
        default:
            return nil
        }
    }

    private static func store(_ words: [UInt64], at address: UInt64, result: Int64, memory: GuestMemory) -> (result: Int64, writes: [MemoryWrite])? {
        let bytes = words.flatMap { word in withUnsafeBytes(of: word.littleEndian, Array.init) }
        guard (try? memory.write(bytes, at: address)) != nil else { return nil }
        return (result, [MemoryWrite(address: address, bytes: bytes)])
    }
}
