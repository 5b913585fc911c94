/// Why a backtrace or its symbols could not be produced, beyond the ELF parsing failures of
/// `ElfError`.
///
/// A hang report shows these next to the thread they concern, so each message names the
/// operation or tool involved.
public enum UnwindError: Error, Equatable, CustomStringConvertible {
    /// libunwind failed; `code` is its negative `UNW_E*` value.
    case libunwind(operation: String, code: Int32, message: String)
    /// An external tool (addr2line) failed.
    case toolFailed(command: String, detail: String)

    public var description: String {
        switch self {
        case let .libunwind(operation, code, message):
            return "libunwind \(operation) failed: \(message) (\(code))"
        case let .toolFailed(command, detail):
            return "\(command) failed: \(detail)"
        }
    }
}
