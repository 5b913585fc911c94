/// A `vFile` request: gdb using the stub as a file server for the target's files.
///
/// gdb uses these to read the executable and shared libraries "from the target" when it has no
/// local copy, or to check a local copy's build id. Flag and mode values are the File-I/O
/// protocol's, not the host's (see `FileIOOpenFlags`); replies are built with `GDBReply.file…`.
public enum VFileRequest: Sendable, Equatable {
    /// `vFile:setfs:pid`: later paths are in `pid`'s mount namespace; 0 means the stub's own.
    case setFilesystem(pid: UInt64)
    /// `vFile:open:hexpath,flags,mode`.
    case open(path: String, flags: FileIOOpenFlags, mode: UInt32)
    /// `vFile:pread:fd,count,offset`.
    case pread(fd: Int, count: Int, offset: UInt64)
    /// `vFile:close:fd`.
    case close(fd: Int)
    /// `vFile:fstat:fd`; answer with `GDBReply.fileStat`.
    case fstat(fd: Int)
    /// `vFile:readlink:hexpath`.
    case readlink(path: String)
    /// `vFile:unlink:hexpath`.
    case unlink(path: String)
}

/// `open` flags as the File-I/O protocol numbers them. Only the access mode and these few bits
/// exist in the protocol; a replay stub should refuse anything but read-only.
public struct FileIOOpenFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Access mode 0: read-only. The access mode is a two-bit field, not a flag; see
    /// `accessMode`.
    public static let readOnly: FileIOOpenFlags = []
    public static let writeOnly = FileIOOpenFlags(rawValue: 0x1)
    public static let readWrite = FileIOOpenFlags(rawValue: 0x2)
    public static let append = FileIOOpenFlags(rawValue: 0x8)
    public static let create = FileIOOpenFlags(rawValue: 0x200)
    public static let truncate = FileIOOpenFlags(rawValue: 0x400)
    public static let exclusive = FileIOOpenFlags(rawValue: 0x800)

    /// The access-mode field: 0 read-only, 1 write-only, 2 read-write.
    public var accessMode: UInt32 { rawValue & 0x3 }

    /// True when the open cannot modify anything: read-only access and no create/truncate/append.
    public var isReadOnly: Bool {
        accessMode == 0 && isDisjoint(with: [.append, .create, .truncate, .exclusive])
    }
}

/// Parsing for `vFile:operation:arguments`. Operations not listed (pwrite, stat, lstat) parse
/// as `.unknown`; gdb falls back gracefully when the stub replies empty.
extension GDBCommand {
    static func parseVFile(_ text: PacketSlice, packet: PacketSlice) -> GDBCommand {
        guard let (operation, arguments) = text.splitOnce(at: ":") else {
            return .unknown(packet.text)
        }
        let fields = arguments.parts(separatedBy: ",")
        let name = "vFile:" + operation.text
        let request: VFileRequest?
        switch operation.text {
        case "setfs":
            request = fields.count == 1 ? fields[0].hexNumber.map { .setFilesystem(pid: $0) } : nil
        case "open":
            request = fields.count == 3 ? openRequest(fields[0], fields[1], fields[2]) : nil
        case "pread":
            guard fields.count == 3, let fd = fields[0].hexInt, let count = fields[1].hexInt,
                  let offset = fields[2].hexNumber
            else { return .malformed("\(name): expected fd,count,offset") }
            request = .pread(fd: fd, count: count, offset: offset)
        case "close":
            request = fields.count == 1 ? fields[0].hexInt.map { .close(fd: $0) } : nil
        case "fstat":
            request = fields.count == 1 ? fields[0].hexInt.map { .fstat(fd: $0) } : nil
        case "readlink":
            request = arguments.hexText.map { .readlink(path: $0) }
        case "unlink":
            request = arguments.hexText.map { .unlink(path: $0) }
        default:
            return .unknown(packet.text)
        }
        guard let request else { return .malformed("\(name): bad arguments") }
        return .file(request)
    }

    private static func openRequest(_ path: PacketSlice, _ flags: PacketSlice, _ mode: PacketSlice) -> VFileRequest? {
        guard let pathText = path.hexText,
              let flagsValue = flags.hexNumber, flagsValue <= UInt64(UInt32.max),
              let modeValue = mode.hexNumber, modeValue <= UInt64(UInt32.max)
        else { return nil }
        return .open(
            path: pathText, flags: FileIOOpenFlags(rawValue: UInt32(flagsValue)), mode: UInt32(modeValue)
        )
    }
}
