import CGuestShim
import Glibc

/// The thread's whole `XSAVE` area (x87, SSE, AVX, AVX-512 and the rest), through
/// `PTRACE_GETREGSET`/`PTRACE_SETREGSET` with `NT_X86_XSTATE`.
///
/// An async point can fall in the middle of vectorised library code (glibc's string functions
/// use AVX-512 here), so restoring a thread there needs every vector register, not just the
/// FXSAVE part that `PTRACE_GETFPREGS` covers.
extension StoppedThread {
    private static let xstateNote: UInt64 = 0x202
    /// Larger than any XSAVE area current CPUs define; the kernel reports the real size.
    private static let xstateCapacity = 16384

    public func extendedState() throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.xstateCapacity)
        let length = try bytes.withUnsafeMutableBytes { buffer -> Int in
            var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            try Ptrace.withBuffer(.getRegSet, tid, address: Self.xstateNote, into: &vector)
            return vector.iov_len
        }
        return Array(bytes.prefix(length))
    }

    public func setExtendedState(_ state: [UInt8]) throws {
        var copy = state
        try copy.withUnsafeMutableBytes { buffer in
            var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            try Ptrace.withBuffer(.setRegSet, tid, address: Self.xstateNote, into: &vector)
        }
    }
}
