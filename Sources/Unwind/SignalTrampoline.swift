import Guest
import Syscalls

/// Recognises the signal return trampoline (`__restore_rt`), the code a signal handler returns
/// into, by its instructions.
///
/// Around it, instruction pointers are exact rather than return addresses: the kernel, not a
/// call, put the trampoline's address on the stack, and the frame the signal interrupted resumes
/// at the very instruction it stopped at. Symbolizing `ip - 1` there would name the wrong
/// function. libunwind's `unw_is_signal_frame` is not used because when it turns true depends on
/// how far its cursor has looked, which differs between its versions.
enum SignalTrampoline {
    /// `mov $15, %rax; syscall` (15 is rt_sigreturn), as glibc writes it.
    private static let glibcCode: [UInt8] = [0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05]
    /// `mov $15, %eax; syscall`, the shorter form other C libraries use.
    private static let shortCode: [UInt8] = [0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05]

    static func isAt(_ address: UInt64, memory: any GuestMemoryReading) -> Bool {
        guard let bytes = try? memory.read(address, count: glibcCode.count) else { return false }
        return bytes == glibcCode || bytes.prefix(shortCode.count).elementsEqual(shortCode)
    }
}
