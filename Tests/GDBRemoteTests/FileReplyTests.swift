import GDBRemote
import XCTest

final class FileReplyTests: XCTestCase {
    func testResults() {
        XCTAssertEqual(text(GDBReply.fileResult(0)), "F0")
        XCTAssertEqual(text(GDBReply.fileResult(0x1f)), "F1f")
        XCTAssertEqual(text(GDBReply.fileData(Array("/bin/true".utf8))), "F9;/bin/true")
        XCTAssertEqual(text(GDBReply.fileData([])), "F0;")
    }

    func testErrors() {
        XCTAssertEqual(text(GDBReply.fileError(.noSuchFile)), "F-1,2")
        XCTAssertEqual(text(GDBReply.fileError(.nameTooLong)), "F-1,5b")
        XCTAssertEqual(text(GDBReply.fileError(.unknown)), "F-1,270f")
    }

    func testLinuxErrnoMapping() {
        XCTAssertEqual(FileIOErrno(linuxErrno: 2), .noSuchFile)
        XCTAssertEqual(FileIOErrno(linuxErrno: 13), .accessDenied)
        XCTAssertEqual(FileIOErrno(linuxErrno: 30), .readOnlyFilesystem)
        XCTAssertEqual(FileIOErrno(linuxErrno: 36), .nameTooLong)
        XCTAssertEqual(FileIOErrno(linuxErrno: 3), .unknown)
        XCTAssertEqual(FileIOErrno(linuxErrno: 40), .unknown)
        XCTAssertEqual(FileIOErrno(linuxErrno: -1), .unknown)
        XCTAssertEqual(FileIOErrno(linuxErrno: 0), .unknown)
    }

    func testStatLayout() {
        let stat = FileIOStat(
            device: 0x0102_0304, inode: 0x0506_0708, mode: 0o100755, linkCount: 1, userID: 1000,
            groupID: 100, deviceType: 0, size: 0x1122_3344_5566_7788, blockSize: 4096, blocks: 8,
            accessTime: 0x6000_0001, modificationTime: 0x6000_0002, changeTime: 0x6000_0003
        )
        let encoded = stat.encoded
        XCTAssertEqual(encoded.count, FileIOStat.encodedSize)
        XCTAssertEqual(Array(encoded[0..<4]), [1, 2, 3, 4])
        XCTAssertEqual(Array(encoded[4..<8]), [5, 6, 7, 8])
        XCTAssertEqual(Array(encoded[8..<12]), [0, 0, 0x81, 0xed])
        XCTAssertEqual(Array(encoded[12..<16]), [0, 0, 0, 1])
        XCTAssertEqual(Array(encoded[16..<20]), [0, 0, 0x03, 0xe8])
        XCTAssertEqual(Array(encoded[20..<24]), [0, 0, 0, 100])
        XCTAssertEqual(Array(encoded[24..<28]), [0, 0, 0, 0])
        XCTAssertEqual(Array(encoded[28..<36]), [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        XCTAssertEqual(Array(encoded[36..<44]), [0, 0, 0, 0, 0, 0, 0x10, 0])
        XCTAssertEqual(Array(encoded[44..<52]), [0, 0, 0, 0, 0, 0, 0, 8])
        XCTAssertEqual(Array(encoded[52..<56]), [0x60, 0, 0, 1])
        XCTAssertEqual(Array(encoded[56..<60]), [0x60, 0, 0, 2])
        XCTAssertEqual(Array(encoded[60..<64]), [0x60, 0, 0, 3])
    }

    func testStatReply() {
        let reply = GDBReply.fileStat(FileIOStat(size: 10))
        XCTAssertEqual(text(Array(reply.prefix(4))), "F40;")
        XCTAssertEqual(reply.count, 4 + 64)
        XCTAssertEqual(decodeAll(PacketEncoder.frame(reply)), [.packet(reply)])
    }
}
