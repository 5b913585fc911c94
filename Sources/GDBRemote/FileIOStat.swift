/// `struct stat` in the File-I/O protocol's fixed wire layout, for `vFile:fstat` replies.
///
/// gdb does not use the host's `struct stat`: the protocol defines a 64-byte big-endian record
/// so that any host can parse it. Fields narrower than the host's are truncated by the caller's
/// choice of values; times are seconds.
public struct FileIOStat: Sendable, Equatable {
    public var device: UInt32
    public var inode: UInt32
    public var mode: UInt32
    public var linkCount: UInt32
    public var userID: UInt32
    public var groupID: UInt32
    public var deviceType: UInt32
    public var size: UInt64
    public var blockSize: UInt64
    public var blocks: UInt64
    public var accessTime: UInt32
    public var modificationTime: UInt32
    public var changeTime: UInt32

    /// The encoded record is always this long.
    public static let encodedSize = 64

    public init(
        device: UInt32 = 0, inode: UInt32 = 0, mode: UInt32 = 0, linkCount: UInt32 = 0,
        userID: UInt32 = 0, groupID: UInt32 = 0, deviceType: UInt32 = 0,
        size: UInt64 = 0, blockSize: UInt64 = 0, blocks: UInt64 = 0,
        accessTime: UInt32 = 0, modificationTime: UInt32 = 0, changeTime: UInt32 = 0
    ) {
        self.device = device
        self.inode = inode
        self.mode = mode
        self.linkCount = linkCount
        self.userID = userID
        self.groupID = groupID
        self.deviceType = deviceType
        self.size = size
        self.blockSize = blockSize
        self.blocks = blocks
        self.accessTime = accessTime
        self.modificationTime = modificationTime
        self.changeTime = changeTime
    }

    /// st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid, st_rdev (4 bytes each), st_size,
    /// st_blksize, st_blocks (8 bytes each), st_atime, st_mtime, st_ctime (4 bytes each), all
    /// big-endian.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.encodedSize)
        for field in [device, inode, mode, linkCount, userID, groupID, deviceType] {
            out += HexCoding.bigEndianBytes(UInt64(field), count: 4)
        }
        for field in [size, blockSize, blocks] {
            out += HexCoding.bigEndianBytes(field, count: 8)
        }
        for field in [accessTime, modificationTime, changeTime] {
            out += HexCoding.bigEndianBytes(UInt64(field), count: 4)
        }
        return out
    }
}
