import GDBRemote
import XCTest

final class VFileCommandTests: XCTestCase {
    func testOpenFromGDB13() {
        XCTAssertEqual(parse("vFile:open:6a7573742070726f62696e67,0,1c0"),
                       .file(.open(path: "just probing", flags: .readOnly, mode: 0o700)))
    }

    func testEveryRequest() {
        XCTAssertEqual(parse("vFile:setfs:0"), .file(.setFilesystem(pid: 0)))
        XCTAssertEqual(parse("vFile:setfs:1a2b"), .file(.setFilesystem(pid: 0x1a2b)))
        XCTAssertEqual(parse("vFile:pread:5,3fff,2000"), .file(.pread(fd: 5, count: 0x3fff, offset: 0x2000)))
        XCTAssertEqual(parse("vFile:close:5"), .file(.close(fd: 5)))
        XCTAssertEqual(parse("vFile:fstat:5"), .file(.fstat(fd: 5)))
        XCTAssertEqual(parse("vFile:readlink:2f70726f632f312f657865"), .file(.readlink(path: "/proc/1/exe")))
        XCTAssertEqual(parse("vFile:unlink:2f746d702f78"), .file(.unlink(path: "/tmp/x")))
    }

    func testOpenFlags() {
        guard case .file(.open(_, let flags, let mode)) = parse("vFile:open:2f78,601,1a4") else {
            return XCTFail("not an open")
        }
        XCTAssertEqual(flags, [.writeOnly, .create, .truncate])
        XCTAssertEqual(flags.accessMode, 1)
        XCTAssertFalse(flags.isReadOnly)
        XCTAssertEqual(mode, 0o644)
        XCTAssertTrue(FileIOOpenFlags.readOnly.isReadOnly)
        XCTAssertFalse(FileIOOpenFlags.readWrite.isReadOnly)
        XCTAssertFalse(FileIOOpenFlags.create.isReadOnly)
    }

    func testMalformedRequests() {
        for packet in [
            "vFile:setfs:", "vFile:setfs:1,2", "vFile:open:2f78,0", "vFile:open:2f7,0,0",
            "vFile:open:2f78,100000000,0", "vFile:pread:5,10", "vFile:pread:x,1,1", "vFile:close:",
            "vFile:fstat:-1", "vFile:readlink:2", "vFile:unlink:zz",
        ] {
            XCTAssertTrue(isMalformed(parse(packet)), packet)
        }
    }

    func testUnsupportedRequests() {
        XCTAssertTrue(isUnknown(parse("vFile:pwrite:5,0,abc")))
        XCTAssertTrue(isUnknown(parse("vFile:stat:2f78")))
        XCTAssertTrue(isUnknown(parse("vFile:open")))
        XCTAssertTrue(isUnknown(parse("vFileX")))
    }
}
