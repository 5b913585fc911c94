/// Why an ELF image or its `.eh_frame_hdr` could not be parsed.
///
/// The bytes usually come out of a stopped guest's memory, where a short or corrupt read must
/// become a message in a hang report, never a trap, so each message names the structure involved.
package enum ElfError: Error, Equatable, CustomStringConvertible {
    /// Bytes ended before a structure did.
    case truncated(what: String, needed: Int, available: Int)
    /// An image that is not a little-endian ELF64 file for x86-64.
    case notElf(String)
    /// An `.eh_frame_hdr` this unwinder cannot use.
    case unsupportedEhFrameHeader(String)

    package var description: String {
        switch self {
        case let .truncated(what, needed, available):
            return "\(what) is truncated: needed \(needed) bytes, found \(available)"
        case .notElf(let what):
            return "\(what) is not an x86-64 ELF64 image"
        case .unsupportedEhFrameHeader(let detail):
            return "unsupported .eh_frame_hdr: \(detail)"
        }
    }
}
