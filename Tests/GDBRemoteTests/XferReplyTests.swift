import GDBRemote
import XCTest

final class XferReplyTests: XCTestCase {
    private let document = Array("0123456789".utf8)

    func testChunkInTheMiddleIsM() {
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 0, length: 4)), "m0123")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 4, length: 4)), "m4567")
    }

    func testChunkReachingTheEndIsL() {
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 8, length: 4)), "l89")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 6, length: 4)), "l6789")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 0, length: 0xffb)), "l0123456789")
    }

    func testOffsetAtOrPastTheEndIsBareL() {
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 10, length: 4)), "l")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: Int.max, length: Int.max)), "l")
        XCTAssertEqual(text(GDBReply.xferChunk([], offset: 0, length: 100)), "l")
    }

    func testHostileArgumentsDoNotTrap() {
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: -1, length: 4)), "l")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 2, length: Int.max)), "l23456789")
        XCTAssertEqual(text(GDBReply.xferChunk(document, offset: 2, length: -5)), "m")
    }

    func testReassemblingChunksGivesTheDocument() {
        let annex = TargetDescription.annex(named: "64bit-core.xml") ?? []
        var offset = 0
        var assembled: [UInt8] = []
        while true {
            let chunk = GDBReply.xferChunk(annex, offset: offset, length: 0xffb)
            assembled += chunk.dropFirst()
            offset += chunk.count - 1
            if chunk.first == UInt8(ascii: "l") { break }
            XCTAssertEqual(chunk.count - 1, 0xffb)
        }
        XCTAssertEqual(assembled, annex)
    }

    func testBinaryChunkSurvivesFraming() {
        let binary: [UInt8] = [0x24, 0x23, 0x7d, 0x2a, 0x00, 0xff]
        let chunk = GDBReply.xferChunk(binary, offset: 0, length: 100)
        XCTAssertEqual(decodeAll(PacketEncoder.frame(chunk)), [.packet([UInt8(ascii: "l")] + binary)])
    }
}
