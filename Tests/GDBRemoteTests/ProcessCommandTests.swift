import GDBRemote
import XCTest

final class ProcessCommandTests: XCTestCase {
    func testKillAndDetach() {
        XCTAssertEqual(parse("k"), .kill)
        XCTAssertEqual(parse("vKill;1a2b"), .killProcess(pid: 0x1a2b))
        XCTAssertEqual(parse("D"), .detach(pid: nil))
        XCTAssertEqual(parse("D;1a2b"), .detach(pid: 0x1a2b))
    }

    func testMalformedKillAndDetach() {
        XCTAssertTrue(isUnknown(parse("kk")))
        XCTAssertTrue(isMalformed(parse("vKill;")))
        XCTAssertTrue(isMalformed(parse("vKill;xyz")))
        XCTAssertTrue(isMalformed(parse("D;")))
        XCTAssertTrue(isMalformed(parse("D1")))
    }

    func testRunFromGDB13() {
        XCTAssertEqual(parse("vRun;;"), .run(program: nil, arguments: [""]))
        XCTAssertEqual(parse("vRun;"), .run(program: nil, arguments: []))
    }

    func testRunWithProgramAndArguments() {
        let packet = "vRun;" + HexCoding.encodeString("/bin/ls".utf8) + ";" + HexCoding.encodeString("-l".utf8)
            + ";;" + HexCoding.encodeString("a b".utf8)
        XCTAssertEqual(parse(packet), .run(program: "/bin/ls", arguments: ["-l", "", "a b"]))
    }

    func testMalformedRun() {
        XCTAssertTrue(isMalformed(parse("vRun;2f6")))
        XCTAssertTrue(isMalformed(parse("vRun;;zz")))
        XCTAssertTrue(isUnknown(parse("vRun")))
    }
}
