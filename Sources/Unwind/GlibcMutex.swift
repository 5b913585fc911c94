import ELF
import Glibc
import Guest
import Syscalls

/// Reads glibc's `pthread_mutex_t` on x86-64, whose owner is what links a waiting thread to
/// the thread it waits for: `int __lock` at +0, `unsigned __count` at +4, `int __owner` at +8
/// (the holder's thread id, 0 when unlocked).
public enum GlibcMutex {
    public static let ownerOffset: UInt64 = 8

    /// The thread id holding the mutex at `address`, or nil when it is unlocked.
    public static func owner(ofMutexAt address: UInt64, memory: any GuestMemoryReading) throws -> pid_t? {
        let bytes = try memory.read(address &+ ownerOffset, count: 4)
        let owner = Int32(bitPattern: UInt32(try LittleEndianReader(bytes: bytes, what: "a mutex owner").u32(at: 0)))
        return owner == 0 ? nil : owner
    }
}
