import GDBRemote
import XCTest

final class BreakpointCommandTests: XCTestCase {
    func testSoftwareBreakpointFromGDB13() {
        XCTAssertEqual(parse("Z0,555555555149,1"), .insertBreakpoint(.software, address: 0x5555_5555_5149, kind: 1))
        XCTAssertEqual(parse("z0,555555555149,1"), .removeBreakpoint(.software, address: 0x5555_5555_5149, kind: 1))
    }

    func testEveryType() {
        XCTAssertEqual(parse("Z1,401000,1"), .insertBreakpoint(.hardware, address: 0x401000, kind: 1))
        XCTAssertEqual(parse("Z2,7ffe0000,8"), .insertBreakpoint(.writeWatch, address: 0x7ffe_0000, kind: 8))
        XCTAssertEqual(parse("Z3,7ffe0000,4"), .insertBreakpoint(.readWatch, address: 0x7ffe_0000, kind: 4))
        XCTAssertEqual(parse("z4,7ffe0000,2"), .removeBreakpoint(.accessWatch, address: 0x7ffe_0000, kind: 2))
        XCTAssertFalse(BreakpointType.software.isWatchpoint)
        XCTAssertFalse(BreakpointType.hardware.isWatchpoint)
        XCTAssertTrue(BreakpointType.writeWatch.isWatchpoint)
        XCTAssertTrue(BreakpointType.accessWatch.isWatchpoint)
    }

    func testConditionSuffixIsIgnored() {
        XCTAssertEqual(parse("Z0,401000,1;X3,220100;cmds:0,X1,01"), .insertBreakpoint(.software, address: 0x401000, kind: 1))
    }

    func testUnknownTypeIsUnsupported() {
        XCTAssertTrue(isUnknown(parse("Z5,401000,1")))
    }

    func testMalformedBreakpoints() {
        XCTAssertTrue(isMalformed(parse("Z0,401000")))
        XCTAssertTrue(isMalformed(parse("Z0")))
        XCTAssertTrue(isMalformed(parse("Z")))
        XCTAssertTrue(isMalformed(parse("Zq,1,1")))
        XCTAssertTrue(isMalformed(parse("Z0,xyz,1")))
        XCTAssertTrue(isMalformed(parse("z0,1,")))
        XCTAssertTrue(isMalformed(parse("Z0,1,1,1")))
    }
}
