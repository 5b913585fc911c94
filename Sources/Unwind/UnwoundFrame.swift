/// One frame of a guest thread's call stack, as the unwinder recovered it.
///
/// It carries addresses only. Names come later from `Symbolizer`, because during replay the
/// files to look them up in are the trace's archived copies, which only the caller knows.
public struct UnwoundFrame: Equatable, Sendable {
    /// The frame's instruction pointer. In callers this is the return address.
    public var ip: UInt64
    /// The stack pointer in the frame (libunwind's CFA of the frame inside it).
    public var stackPointer: UInt64
    /// True when `ip` is a return address, just after the call instruction that is really
    /// executing. False for the innermost frame and for a frame interrupted by a signal.
    public var ipIsReturnAddress: Bool
    /// The load address (where its ELF header is mapped) of the image holding the code, or nil
    /// when the address is in no ELF image.
    public var moduleBase: UInt64?

    public init(ip: UInt64, stackPointer: UInt64, ipIsReturnAddress: Bool, moduleBase: UInt64?) {
        self.ip = ip
        self.stackPointer = stackPointer
        self.ipIsReturnAddress = ipIsReturnAddress
        self.moduleBase = moduleBase
    }

    /// The address to look up names and unwind information for: inside the call instruction
    /// for a return address, because the return address may already belong to the next line or
    /// even the next function.
    public var lookupAddress: UInt64 { ipIsReturnAddress ? ip &- 1 : ip }

    /// `ip` relative to the module's load address.
    public var moduleOffset: UInt64? { moduleBase.map { ip &- $0 } }
}

/// A thread's frames, innermost first, and why there are no more.
public struct Backtrace: Equatable, Sendable {
    /// Why unwinding stopped.
    public enum End: Equatable, Sendable {
        /// The outermost frame (such as `_start` or `clone`) has no caller.
        case outermostFrame
        /// `maxFrames` frames were unwound.
        case frameLimit
        /// A frame repeated an earlier one's instruction and stack pointer.
        case loop
        /// The unwinder could not find the caller; the message says why.
        case failed(String)
    }

    public var frames: [UnwoundFrame]
    public var end: End

    public init(frames: [UnwoundFrame], end: End) {
        self.frames = frames
        self.end = end
    }
}
