import CGuestShim
import Glibc

/// A guest thread's x87/SSE state (`struct user_fpregs_struct`, the 512-byte FXSAVE layout),
/// for debuggers that show st0-st7, xmm0-xmm15 and mxcsr.
public struct FloatingPointRegisters: Equatable, Sendable {
    /// The raw FXSAVE image.
    public var bytes: [UInt8]

    public var controlWord: UInt16 { word16(0) }
    public var statusWord: UInt16 { word16(2) }
    /// The abridged tag byte: bit i set means st(i) holds a value.
    public var abridgedTag: UInt8 { bytes[4] }
    public var lastOpcode: UInt16 { word16(6) }
    public var instructionPointer: UInt64 { word64(8) }
    public var operandPointer: UInt64 { word64(16) }
    public var mxcsr: UInt32 { UInt32(word16(24)) | UInt32(word16(26)) << 16 }

    /// The 10 significant bytes of st(i).
    public func st(_ index: Int) -> [UInt8] { Array(bytes[32 + index * 16 ..< 32 + index * 16 + 10]) }

    /// The 16 bytes of xmm(i).
    public func xmm(_ index: Int) -> [UInt8] { Array(bytes[160 + index * 16 ..< 160 + index * 16 + 16]) }

    private func word16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }

    private func word64(_ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}

extension StoppedThread {
    public func floatingPointRegisters() throws -> FloatingPointRegisters {
        var raw = user_fpregs_struct()
        try Ptrace.withBuffer(.getFPRegs, tid, into: &raw)
        return FloatingPointRegisters(bytes: withUnsafeBytes(of: raw, Array.init))
    }
}
