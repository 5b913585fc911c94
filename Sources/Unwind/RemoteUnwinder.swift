import CUnwind
import Glibc
import Guest
import Syscalls

/// Unwinds the stacks of a ptrace-stopped guest's threads with libunwind, finding unwind tables
/// in guest memory rather than in files.
///
/// This is what `rrdbg hang` prints for each thread. It works the same while recording and
/// during replay, where code is anonymous memory and the memory map names no files. Every call
/// re-reads the memory map, so it stays right after the guest maps or unmaps code.
///
/// Like all ptrace use, it must run on the OS thread that attached to the guest.
public final class RemoteUnwinder {
    private let pid: pid_t
    private let memory: any GuestMemoryReading

    /// `pid` is the process whose memory map is read; `memory` reads its address space.
    public init(pid: pid_t, memory: any GuestMemoryReading) {
        self.pid = pid
        self.memory = memory
    }

    public convenience init(process: GuestProcess) {
        self.init(pid: process.pid, memory: process.memory)
    }

    /// The frames of thread `tid`, innermost first, at most `maxFrames` of them. Unwinding
    /// stops quietly where it cannot go further; `unwind` also says why it stopped.
    public func backtrace(of tid: pid_t, maxFrames: Int = 64) throws -> [UnwoundFrame] {
        try unwind(tid, maxFrames: maxFrames).frames
    }

    /// The frames of thread `tid` and why unwinding ended. Throws only when not even the
    /// innermost frame can be read (the thread is not stopped, or not traced by this thread).
    public func unwind(_ tid: pid_t, maxFrames: Int = 64) throws -> Backtrace {
        let images = ElfImageLocator(mappings: try MemoryMap.read(pid: pid), memory: memory)
        let session = try UnwindSession(tid: tid, images: images, memory: memory)
        var accessors = UnwindSession.accessors()
        guard let space = rrdbg_unw_create_addr_space(&accessors) else {
            throw UnwindError.libunwind(operation: "unw_create_addr_space", code: -Int32(UNW_ENOMEM.rawValue), message: "out of memory")
        }
        defer { rrdbg_unw_destroy_addr_space(space) }
        var cursor = unw_cursor_t()
        try check(rrdbg_unw_init_remote(&cursor, space, session.callbackContext), "unw_init_remote for thread \(tid)")

        var frames: [UnwoundFrame] = []
        var seen = Set<[UInt64]>()
        var afterCall = false
        while frames.count < maxFrames {
            let ip = try register(UNW_X86_64_RIP, of: &cursor, tid: tid)
            let stackPointer = try register(UNW_X86_64_RSP, of: &cursor, tid: tid)
            if ip == 0 { return Backtrace(frames: frames, end: .outermostFrame) }
            guard seen.insert([ip, stackPointer]).inserted else { return Backtrace(frames: frames, end: .loop) }
            let inTrampoline = SignalTrampoline.isAt(ip, memory: memory)
            var frame = UnwoundFrame(
                ip: ip, stackPointer: stackPointer, ipIsReturnAddress: afterCall && !inTrampoline, moduleBase: nil)
            frame.moduleBase = images.image(containing: frame.lookupAddress)?.loadAddress
            frames.append(frame)
            afterCall = !inTrampoline
            session.lastFailure = nil
            let stepped = rrdbg_unw_step(&cursor)
            if stepped == 0 { return Backtrace(frames: frames, end: .outermostFrame) }
            if stepped < 0 {
                let reason = session.lastFailure ?? String(cString: rrdbg_unw_strerror(stepped))
                return Backtrace(frames: frames, end: .failed("cannot unwind past 0x\(String(ip, radix: 16)): \(reason)"))
            }
        }
        return Backtrace(frames: frames, end: .frameLimit)
    }

    private func register(_ number: x86_64_regnum_t, of cursor: inout unw_cursor_t, tid: pid_t) throws -> UInt64 {
        var value: unw_word_t = 0
        try check(rrdbg_unw_get_reg(&cursor, unw_regnum_t(number.rawValue), &value), "unw_get_reg for thread \(tid)")
        return value
    }

    private func check(_ result: Int32, _ operation: String) throws {
        guard result < 0 else { return }
        throw UnwindError.libunwind(operation: operation, code: result, message: String(cString: rrdbg_unw_strerror(result)))
    }
}
