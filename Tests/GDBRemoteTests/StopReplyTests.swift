import GDBRemote
import XCTest

final class StopReplyTests: XCTestCase {
    private let thread = ThreadID(pid: 0x1a2b, tid: 0x1a2b)

    func testBreakpointStop() {
        let reply = StopReply(signal: 5, thread: thread, details: [.softwareBreakpoint])
        XCTAssertEqual(text(GDBReply.stopped(reply)), "T05thread:p1a2b.1a2b;swbreak:;")
        XCTAssertEqual(reply.payload, GDBReply.stopped(reply))
    }

    func testPlainStops() {
        XCTAssertEqual(text(StopReply(signal: 5, thread: thread).payload), "T05thread:p1a2b.1a2b;")
        XCTAssertEqual(text(StopReply(signal: 0x0b).payload), "T0b")
        XCTAssertEqual(text(GDBReply.stoppedWithSignal(2)), "S02")
    }

    func testEveryDetailInOrder() {
        let reply = StopReply(signal: 5, thread: thread, details: [
            .hardwareBreakpoint,
            .writeWatch(0x7ffe_1000),
            .readWatch(0x10),
            .accessWatch(0),
            .replayLogBegin,
            .replayLogEnd,
            .register(16, [0x49, 0x51, 0x55, 0x55, 0x55, 0x55, 0, 0]),
            .other(key: "core", value: "1"),
        ])
        XCTAssertEqual(text(reply.payload),
                       "T05thread:p1a2b.1a2b;hwbreak:;watch:7ffe1000;rwatch:10;awatch:0;"
                           + "replaylog:begin;replaylog:end;10:4951555555550000;core:1;")
    }

    func testReverseHistoryEnd() {
        let reply = StopReply(signal: 5, thread: ThreadID(pid: 1, tid: 1), details: [.replayLogBegin])
        XCTAssertEqual(text(reply.payload), "T05thread:p1.1;replaylog:begin;")
    }

    func testExitReplies() {
        XCTAssertEqual(text(GDBReply.exited(status: 0, pid: 0x1a2b)), "W00;process:1a2b")
        XCTAssertEqual(text(GDBReply.exited(status: 0x2a)), "W2a")
        XCTAssertEqual(text(GDBReply.terminated(signal: 9, pid: 0x1a2b)), "X09;process:1a2b")
        XCTAssertEqual(text(GDBReply.terminated(signal: 11)), "X0b")
    }
}
