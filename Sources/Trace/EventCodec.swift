/// The binary encoding of `TraceEvent`s in an event stream.
///
/// Each event is a kind byte, a varint payload length, and the payload. The length lets a reader
/// check that an event is complete and fully consumed before trusting it. Inside the payload:
/// - integers are LEB128 varints, signed ones zigzag-encoded first;
/// - strings and byte arrays are a varint length followed by the bytes (strings as UTF-8);
/// - optional values are a presence byte (0 or 1) followed by the value when present;
/// - booleans and small enums are one byte, their raw value;
/// - register files are deltas against the register file of the previous event that had one:
///   a varint bit mask of the changed values (bit i for the `RegisterName` whose raw value is
///   i), then for each changed value, in that order, the zigzag varint of its wrapping
///   difference, which keeps nearby addresses such as consecutive `rip` and `rsp` values short.
///
/// Register deltas make decoding stateful: an `Encoder` and a `Decoder` must see the same events
/// in the same order. Both start from `RegisterFile.zero`, and the trace writer resets both at
/// every frame boundary so that each frame decodes on its own.
///
/// Payload layouts, in order (`regs` is a register delta, `[..]` a count then the items):
/// - exec (1): tid, regs, stack address, stack bytes, [mapping], executable hash, optional
///   interpreter hash; a mapping is start, end, protection, shared, file offset, path, optional
///   file hash.
/// - syscall (2): tid, regs, result, [address, bytes], [argument index, bytes] sorted by index,
///   optional (file hash, file offset, path), flags byte.
/// - instruction (3): tid, kind byte, regs, rax, rbx, rcx, rdx.
/// - signal (4): tid, signal, origin byte, siginfo bytes, regs.
/// - exit (5): tid, then 0 and the exit code, or 1, the signal and the core-dumped flag.
/// - syscall entered (6, format 2): tid, regs.
/// - async point (7, format 2): tid, reason byte, regs, extended state bytes, [address, bytes].
public enum EventCodec {
    /// Set in a syscall's flags byte when an input digest follows it. It is never a
    /// `SyscallEvent.Flags` bit: the digest's presence is carried by `inputDigest` itself.
    static let inputDigestPresent: UInt8 = 0x80

    /// The kind byte that starts every encoded event.
    enum Kind: UInt8 {
        case exec = 1
        case syscall = 2
        case instruction = 3
        case signal = 4
        case exit = 5
        case syscallEntered = 6
        case asyncPoint = 7
    }

    /// The tag byte of an exit status.
    enum ExitStatusTag: UInt8 {
        case exited = 0
        case killed = 1
    }
}
