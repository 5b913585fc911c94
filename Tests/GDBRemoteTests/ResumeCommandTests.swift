import GDBRemote
import XCTest

final class ResumeCommandTests: XCTestCase {
    func testOldResumePackets() {
        XCTAssertEqual(parse("c"), .continue(address: nil))
        XCTAssertEqual(parse("c401000"), .continue(address: 0x401000))
        XCTAssertEqual(parse("s"), .step(address: nil))
        XCTAssertEqual(parse("s401000"), .step(address: 0x401000))
        XCTAssertEqual(parse("C0b"), .continueWithSignal(11, address: nil))
        XCTAssertEqual(parse("C0b;401000"), .continueWithSignal(11, address: 0x401000))
        XCTAssertEqual(parse("S05"), .stepWithSignal(5, address: nil))
        XCTAssertEqual(parse("S1e;10"), .stepWithSignal(30, address: 0x10))
    }

    func testMalformedResumePackets() {
        XCTAssertTrue(isMalformed(parse("cxyz")))
        XCTAssertTrue(isMalformed(parse("C")))
        XCTAssertTrue(isMalformed(parse("C100")))
        XCTAssertTrue(isMalformed(parse("C05;")))
        XCTAssertTrue(isMalformed(parse("S05;q")))
    }

    func testReverse() {
        XCTAssertEqual(parse("bc"), .reverseContinue)
        XCTAssertEqual(parse("bs"), .reverseStep)
        XCTAssertTrue(isUnknown(parse("b9600")))
        XCTAssertTrue(isUnknown(parse("bcc")))
    }

    func testVContQuery() {
        XCTAssertEqual(parse("vCont?"), .vContQuery)
    }

    func testVContFromGDB13() {
        XCTAssertEqual(parse("vCont;c:p1a2b.1a2b"), .vCont([VContAction(.continue, thread: ThreadID(pid: 0x1a2b, tid: 0x1a2b))]))
        XCTAssertEqual(parse("vCont;s:p1.1;c"), .vCont([
            VContAction(.step, thread: ThreadID(pid: 1, tid: 1)),
            VContAction(.continue),
        ]))
    }

    func testEveryVContAction() {
        XCTAssertEqual(parse("vCont;C0b:p1.2;S05:3;t:p1.-1;r401000,401020:p1.1;c:-1"), .vCont([
            VContAction(.continueWithSignal(11), thread: ThreadID(pid: 1, tid: 2)),
            VContAction(.stepWithSignal(5), thread: ThreadID(process: nil, thread: .id(3))),
            VContAction(.stop, thread: ThreadID(process: .id(1), thread: .all)),
            VContAction(.rangeStep(start: 0x401000, end: 0x401020), thread: ThreadID(pid: 1, tid: 1)),
            VContAction(.continue, thread: ThreadID(process: nil, thread: .all)),
        ]))
    }

    func testMalformedVCont() {
        XCTAssertTrue(isMalformed(parse("vCont;")))
        XCTAssertTrue(isMalformed(parse("vCont;x")))
        XCTAssertTrue(isMalformed(parse("vCont;c;")))
        XCTAssertTrue(isMalformed(parse("vCont;cc")))
        XCTAssertTrue(isMalformed(parse("vCont;C")))
        XCTAssertTrue(isMalformed(parse("vCont;r1000")))
        XCTAssertTrue(isMalformed(parse("vCont;c:")))
        XCTAssertTrue(isMalformed(parse("vCont;c:pq.1")))
        XCTAssertTrue(isUnknown(parse("vCont")))
        XCTAssertTrue(isUnknown(parse("vContX")))
    }
}
