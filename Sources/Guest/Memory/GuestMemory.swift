import CGuestShim
import Glibc
import System
import Syscalls

/// Bulk access to a guest's address space.
///
/// Reads use `process_vm_readv` (one copy, no ptrace stop); writes go through `/proc/PID/mem`,
/// which, unlike `process_vm_writev`, may write read-only private pages, as replay must when it
/// restores file contents and as breakpoints will. The descriptor must be reopened after exec,
/// because it stays bound to the old address space.
public final class GuestMemory: GuestMemoryReading {
    public let pid: pid_t
    private var memoryFD: Int32 = -1

    init(pid: pid_t) {
        self.pid = pid
    }

    deinit {
        if memoryFD >= 0 { close(memoryFD) }
    }

    /// Forgets the `/proc/PID/mem` descriptor; called when the guest execs.
    func addressSpaceReplaced() {
        if memoryFD >= 0 { close(memoryFD) }
        memoryFD = -1
    }

    public func read(_ address: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let copied = bytes.withUnsafeMutableBytes { buffer in
            rrdbg_read_process_memory(pid, buffer.baseAddress, address, count)
        }
        if copied == count { return bytes }
        try readThroughProcMem(&bytes, at: address)
        return bytes
    }

    /// Reads a NUL-terminated string of at most `limit` bytes (the NUL is not included).
    public func readCString(_ address: UInt64, limit: Int = 4096) throws -> [UInt8] {
        var result: [UInt8] = []
        var cursor = address
        while result.count < limit {
            // Stay inside one page so a string near the end of a mapping reads cleanly.
            let toPageEnd = Int(4096 - (cursor % 4096))
            let chunk = try read(cursor, count: min(toPageEnd, limit - result.count))
            if let end = chunk.firstIndex(of: 0) {
                result.append(contentsOf: chunk[..<end])
                return result
            }
            result.append(contentsOf: chunk)
            cursor += UInt64(chunk.count)
        }
        return result
    }

    public func write(_ bytes: [UInt8], at address: UInt64) throws {
        guard !bytes.isEmpty else { return }
        let fd = try openProcMem()
        var done = 0
        while done < bytes.count {
            let written = try bytes.withUnsafeBytes { buffer in
                try retryingOnInterrupt("write guest memory at 0x\(String(address, radix: 16))") {
                    pwrite(fd, buffer.baseAddress! + done, bytes.count - done, off_t(Int64(bitPattern: address + UInt64(done))))
                }
            }
            if written == 0 {
                throw Errno(EFAULT, operation: "write guest memory at 0x\(String(address, radix: 16))")
            }
            done += written
        }
    }

    public func readWord(_ address: UInt64) throws -> UInt64 {
        let bytes = try read(address, count: 8)
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    private func readThroughProcMem(_ bytes: inout [UInt8], at address: UInt64) throws {
        let fd = try openProcMem()
        let count = bytes.count
        var done = 0
        while done < count {
            let got = try bytes.withUnsafeMutableBytes { buffer in
                try retryingOnInterrupt("read guest memory at 0x\(String(address, radix: 16))") {
                    pread(fd, buffer.baseAddress! + done, count - done, off_t(Int64(bitPattern: address + UInt64(done))))
                }
            }
            if got == 0 {
                throw Errno(EFAULT, operation: "read \(count) bytes of guest memory at 0x\(String(address, radix: 16))")
            }
            done += got
        }
    }

    private func openProcMem() throws -> Int32 {
        if memoryFD >= 0 { return memoryFD }
        memoryFD = try retryingOnInterrupt("open(/proc/\(pid)/mem)") { open("/proc/\(pid)/mem", O_RDWR | O_CLOEXEC) }
        return memoryFD
    }
}
