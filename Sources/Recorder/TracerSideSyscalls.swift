import Glibc
import Guest
import Syscalls
import Trace

/// Answers the syscalls whose descriptor has a `TracerAnswer`, at the seccomp stop, skipping
/// the kernel. Anything unusual (a NULL or unwritable pointer, a per-process CPU clock, a
/// timezone argument) is left to the kernel.
enum TracerSideSyscalls {
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
        guard let answer = SyscallTable.descriptor(for: entry.syscallNumber)?.tracerAnswer else { return nil }
        let arguments = entry.syscallArguments
        switch answer {
        case .processID:
            return (Int64(pid), [])
        case .threadID:
            return (Int64(tid), [])
        case .parentProcessID:
            return isMainProcess ? (Int64(Glibc.getpid()), []) : nil
        case .failure(let error):
            return (Int64(-error), [])
        case .clockTime:
            guard systemClocks.contains(arguments[0]), arguments[1] != 0 else { return nil }
            var now = timespec()
            clock_gettime(clockid_t(arguments[0]), &now)
            return store([UInt64(bitPattern: Int64(now.tv_sec)), UInt64(bitPattern: Int64(now.tv_nsec))], at: arguments[1], result: 0, memory: memory)
        case .timeOfDay:
            guard arguments[0] != 0, arguments[1] == 0 else { return nil }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return store([UInt64(bitPattern: Int64(now.tv_sec)), UInt64(now.tv_nsec / 1000)], at: arguments[0], result: 0, memory: memory)
        case .seconds:
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let seconds = Int64(now.tv_sec)
            if arguments[0] == 0 { return (seconds, []) }
            return store([UInt64(bitPattern: seconds)], at: arguments[0], result: seconds, memory: memory)
        }
    }

    private static func store(_ words: [UInt64], at address: UInt64, result: Int64, memory: GuestMemory) -> (result: Int64, writes: [MemoryWrite])? {
        let bytes = words.flatMap { word in withUnsafeBytes(of: word.littleEndian, Array.init) }
        guard (try? memory.write(bytes, at: address)) != nil else { return nil }
        return (result, [MemoryWrite(address: address, bytes: bytes)])
    }
}
