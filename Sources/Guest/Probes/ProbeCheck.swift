import X86Registers

/// One comparison a probe makes, in the guest, each time execution arrives at its address: a
/// register, or an 8-byte word of memory, against an expected value.
///
/// A probe traps to rrdbg only when every comparison holds, so the comparisons that tell the
/// wanted pass from the others quickest (a loop counter, say) go first: the rest are skipped on
/// every other pass.
public struct ProbeCheck: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        case register(GeneralRegister)
        /// The 8 bytes at this address.
        case word(UInt64)
    }

    public var subject: Subject
    public var expected: UInt64

    public init(_ subject: Subject, expected: UInt64) {
        self.subject = subject
        self.expected = expected
    }
}
