import GDBRemote
import XCTest

final class ReplyTests: XCTestCase {
    func testBasicReplies() {
        XCTAssertEqual(text(GDBReply.ok), "OK")
        XCTAssertEqual(GDBReply.empty, [])
        XCTAssertEqual(text(GDBReply.error(1)), "E01")
        XCTAssertEqual(text(GDBReply.error(0x0e)), "E0e")
        XCTAssertEqual(text(GDBReply.error(0xff)), "Eff")
        XCTAssertEqual(text(GDBReply.errorMessage("no trace loaded")), "E.no trace loaded")
    }

    func testHexReplies() {
        XCTAssertEqual(text(GDBReply.hex([0x55, 0x48, 0x89, 0xe5])), "554889e5")
        XCTAssertEqual(text(GDBReply.hexText("main thread")), "6d61696e20746872656164")
        XCTAssertEqual(text(GDBReply.consoleOutput("hi\n")), "O68690a")
    }

    func testThreadReplies() {
        XCTAssertEqual(text(GDBReply.currentThread(ThreadID(pid: 0x1a2b, tid: 0x1a2b))), "QCp1a2b.1a2b")
        XCTAssertEqual(text(GDBReply.threadList([ThreadID(pid: 1, tid: 1), ThreadID(pid: 1, tid: 2)])), "mp1.1,p1.2")
        XCTAssertEqual(text(GDBReply.threadListEnd), "l")
        XCTAssertEqual(text(GDBReply.attached(false)), "0")
        XCTAssertEqual(text(GDBReply.attached(true)), "1")
    }

    func testVContSupported() {
        XCTAssertEqual(text(GDBReply.vContSupported(["c", "C", "s", "S"])), "vCont;c;C;s;S")
    }

    func testSupported() {
        let features = [
            "PacketSize=4000", "QStartNoAckMode+", "qXfer:features:read+", "qXfer:auxv:read+",
            "qXfer:exec-file:read+", "multiprocess+", "swbreak+", "hwbreak+", "vContSupported+",
            "ReverseContinue+", "ReverseStep+",
        ]
        XCTAssertEqual(text(GDBReply.supported(features)),
                       "PacketSize=4000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;"
                           + "qXfer:exec-file:read+;multiprocess+;swbreak+;hwbreak+;vContSupported+;"
                           + "ReverseContinue+;ReverseStep+")
    }
}
