/// Why a backtrace or its symbols could not be produced.
///
/// A hang report shows these next to the thread they concern, so each message names the address,
/// file or tool involved.
public enum UnwindError: Error, Equatable, CustomStringConvertible {
    /// Bytes ended before a structure did.
    case truncated(what: String, needed: Int, available: Int)
    /// An image that is not a little-endian ELF64 file for x86-64.
    case notElf(String)
    /// An `.eh_frame_hdr` this unwinder cannot use.
    case unsupportedEhFrameHeader(String)
    /// libunwind failed; `code` is its negative `UNW_E*` value.
    case libunwind(operation: String, code: Int32, message: String)
    /// An external tool (addr2line) failed.
    case toolFailed(command: String, detail: String)

    public var description: String {
        switch self {
        case let .truncated(what, needed, available):
            return "\(what) is truncated: needed \(needed) bytes, found \(available)"
        case .notElf(let what):
            return "\(what) is not an x86-64 ELF64 image"
        case .unsupportedEhFrameHeader(let detail):
            return "unsupported .eh_frame_hdr: \(detail)"
        case let .libunwind(operation, code, message):
            return "libunwind \(operation) failed: \(message) (\(code))"
        case let .toolFailed(command, detail):
            return "\(command) failed: \(detail)"
        }
    }
}
