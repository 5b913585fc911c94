/// errno values as the File-I/O protocol numbers them, for `F-1,errno` replies.
///
/// The protocol fixes its own small set. Most coincide with Linux, but not all (ENAMETOOLONG
/// is 91 here and 36 on Linux), and anything outside the set must be sent as EUNKNOWN, so host
/// errors go through `init(linuxErrno:)` rather than being copied. File servers throw them.
public enum FileIOErrno: UInt32, Error, Sendable, Equatable, CaseIterable {
    case permissionDenied = 1          // EPERM
    case noSuchFile = 2                // ENOENT
    case interrupted = 4               // EINTR
    case badFileDescriptor = 9         // EBADF
    case accessDenied = 13             // EACCES
    case badAddress = 14               // EFAULT
    case busy = 16                     // EBUSY
    case fileExists = 17               // EEXIST
    case noSuchDevice = 19             // ENODEV
    case notDirectory = 20             // ENOTDIR
    case isDirectory = 21              // EISDIR
    case invalidArgument = 22          // EINVAL
    case tooManyFilesInSystem = 23     // ENFILE
    case tooManyOpenFiles = 24         // EMFILE
    case fileTooLarge = 27             // EFBIG
    case noSpace = 28                  // ENOSPC
    case illegalSeek = 29              // ESPIPE
    case readOnlyFilesystem = 30       // EROFS
    case nameTooLong = 91              // ENAMETOOLONG
    case unknown = 9999                // EUNKNOWN

    /// The protocol value for a Linux errno.
    public init(linuxErrno: Int32) {
        switch linuxErrno {
        case 36:
            self = .nameTooLong
        case 0...30:
            self = FileIOErrno(rawValue: UInt32(linuxErrno)) ?? .unknown
        default:
            self = .unknown
        }
    }
}
