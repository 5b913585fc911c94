import GDBRemote
import XCTest

final class ThreadQueryCommandTests: XCTestCase {
    func testSetThreadFromGDB13() {
        XCTAssertEqual(parse("Hgp0.0"), .setThread(.general, .any))
        XCTAssertEqual(parse("Hc-1"), .setThread(.resume, ThreadID(process: nil, thread: .all)))
        XCTAssertEqual(parse("Hcp1a2b.1a2b"), .setThread(.resume, ThreadID(pid: 0x1a2b, tid: 0x1a2b)))
    }

    func testMalformedSetThread() {
        XCTAssertTrue(isMalformed(parse("Hg")))
        XCTAssertTrue(isMalformed(parse("Hgxyz")))
        XCTAssertTrue(isUnknown(parse("Hs1")))
        XCTAssertTrue(isUnknown(parse("H")))
    }

    func testThreadAlive() {
        XCTAssertEqual(parse("Tp1a2b.1a2c"), .threadAlive(ThreadID(pid: 0x1a2b, tid: 0x1a2c)))
        XCTAssertTrue(isMalformed(parse("T")))
    }

    func testThreadQueries() {
        XCTAssertEqual(parse("qC"), .currentThread)
        XCTAssertEqual(parse("qfThreadInfo"), .threadListFirst)
        XCTAssertEqual(parse("qsThreadInfo"), .threadListNext)
        XCTAssertEqual(parse("qThreadExtraInfo,p1.2"), .threadExtraInfo(ThreadID(pid: 1, tid: 2)))
        XCTAssertTrue(isMalformed(parse("qThreadExtraInfo,")))
        XCTAssertTrue(isUnknown(parse("qCRC:1000,10")))
    }

    func testAttachedAndOffsets() {
        XCTAssertEqual(parse("qAttached"), .attached(pid: nil))
        XCTAssertEqual(parse("qAttached:1a2b"), .attached(pid: 0x1a2b))
        XCTAssertTrue(isMalformed(parse("qAttached:")))
        XCTAssertEqual(parse("qOffsets"), .offsets)
    }

    func testSymbol() {
        XCTAssertEqual(parse("qSymbol::"), .symbol(value: nil, name: nil))
        XCTAssertEqual(parse("qSymbol:401000:6d61696e"), .symbol(value: 0x401000, name: "main"))
        XCTAssertEqual(parse("qSymbol::6d61696e"), .symbol(value: nil, name: "main"))
        XCTAssertTrue(isMalformed(parse("qSymbol:")))
        XCTAssertTrue(isMalformed(parse("qSymbol:zz:")))
        XCTAssertTrue(isMalformed(parse("qSymbol::6d6")))
    }

    func testXferFromGDB13() {
        XCTAssertEqual(parse("qXfer:features:read:target.xml:0,ffb"),
                       .xferRead(object: "features", annex: "target.xml", offset: 0, length: 0xffb))
        XCTAssertEqual(parse("qXfer:auxv:read::0,1000"), .xferRead(object: "auxv", annex: "", offset: 0, length: 0x1000))
        XCTAssertEqual(parse("qXfer:exec-file:read:1a2b:ffb,ffb"),
                       .xferRead(object: "exec-file", annex: "1a2b", offset: 0xffb, length: 0xffb))
        XCTAssertEqual(parse("qXfer:libraries-svr4:read:start=1;prev=2:0,ffb"),
                       .xferRead(object: "libraries-svr4", annex: "start=1;prev=2", offset: 0, length: 0xffb))
    }

    func testXferOtherOperationsAndMalformed() {
        XCTAssertTrue(isUnknown(parse("qXfer:siginfo:write::0:abcd")))
        XCTAssertTrue(isMalformed(parse("qXfer:features")))
        XCTAssertTrue(isMalformed(parse("qXfer:features:read")))
        XCTAssertTrue(isMalformed(parse("qXfer:features:read:target.xml")))
        XCTAssertTrue(isMalformed(parse("qXfer:features:read:target.xml:0")))
        XCTAssertTrue(isMalformed(parse("qXfer:features:read:target.xml:x,1")))
    }

    func testMonitor() {
        XCTAssertEqual(parse("qRcmd,7768656e"), .monitor("when"))
        XCTAssertEqual(parse("qRcmd,"), .monitor(""))
        XCTAssertTrue(isMalformed(parse("qRcmd,7")))
    }

    func testTracepointQueriesAreUnknown() {
        XCTAssertEqual(parse("qTStatus"), .unknown("qTStatus"))
        XCTAssertEqual(parse("qTfV"), .unknown("qTfV"))
        XCTAssertTrue(isUnknown(parse("qL1200000000000000000")))
        XCTAssertTrue(isUnknown(parse("q")))
    }
}
