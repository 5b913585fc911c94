import GDBRemote
import GDBServer
import XCTest

/// The optional features: announced when the target adopts them, empty replies when it does not.
final class GDBSessionFeatureTests: XCTestCase {
    func testQSupportedAnnouncesWhatTheTargetAdopts() throws {
        var gdb = ScriptedGDB()
        gdb.send("qSupported:multiprocess+;swbreak+;hwbreak+")
        let transcript = try gdb.play(against: FakeReplayTarget())

        XCTAssertEqual(transcript.replies, [
            "PacketSize=10000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;"
                + "multiprocess+;swbreak+;hwbreak+;vContSupported+;QPassSignals+;QProgramSignals+;"
                + "ReverseContinue+;ReverseStep+",
        ])
    }

    func testReverseExecution() throws {
        let target = FakeReplayTarget()
        target.runs = [.stop(.softwareBreakpoint, thread: 0x65), .stop(.beginOfHistory, thread: 0x64)]
        var gdb = ScriptedGDB()
        gdb.send("bc")
        gdb.send("bs")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["T05thread:p64.65;swbreak:;", "T05thread:p64.64;replaylog:begin;"])
        XCTAssertEqual(target.calls, ["start", "reverseContinue", "reverseStep", "kill"])
    }

    func testHardwareBreakpointsAndWatchpoints() throws {
        let target = FakeReplayTarget()
        var gdb = ScriptedGDB()
        gdb.send("Z1,401000,1")
        gdb.send("Z2,602000,4")
        gdb.send("Z3,602000,3")
        gdb.send("Z4,602008,8")
        gdb.send("z1,401000,1")
        gdb.send("Z4,602008,8")
        gdb.send("z2,602000,4")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["OK", "OK", "E16", "E1c", "OK", "OK", "OK"])
        XCTAssertEqual(target.debugRegisters, ["access@\(0x602008)"])
    }

    func testHostFiles() throws {
        let target = FakeReplayTarget()
        target.files["/lib/libc.so.6"] = Array("\u{7f}ELF....".utf8)
        let path = HexCoding.encodeString("/lib/libc.so.6".utf8)
        var gdb = ScriptedGDB()
        gdb.send("vFile:setfs:0")
        gdb.send("vFile:open:\(path),0,1c0")
        gdb.send("vFile:pread:3,4,1")
        gdb.send("vFile:fstat:3")
        gdb.send("vFile:close:3")
        gdb.send("vFile:close:3")
        gdb.send("vFile:open:\(path),201,1c0")
        gdb.send("vFile:open:\(HexCoding.encodeString("/etc/shadow".utf8)),0,0")
        gdb.send("vFile:readlink:\(path)")
        gdb.send("vFile:unlink:\(path)")
        let transcript = try gdb.play(against: target)

        let stat = String(decoding: GDBReply.fileStat(FileIOStat(mode: 0o100644, size: 8)), as: UTF8.self)
        XCTAssertEqual(transcript.replies, [
            "F0", "F3", "F4;ELF.", stat, "F0", "F-1,9", "F-1,d", "F-1,2", "F-1,d", "F-1,d",
        ])
    }

    func testTransfers() throws {
        var gdb = ScriptedGDB()
        gdb.send("qXfer:exec-file:read::0,fff")
        gdb.send("qXfer:auxv:read::0,8")
        gdb.send("qXfer:features:read:nonsense.xml:0,fff")
        gdb.send("qXfer:libraries-svr4:read::0,fff")
        let transcript = try gdb.play(against: FakeReplayTarget())

        XCTAssertEqual(transcript.replies.count, 4)
        XCTAssertEqual(transcript.replies[0], "l/traces/files/program")
        XCTAssertEqual(Array(transcript.replies[1].utf8), Array("m".utf8) + [6, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(transcript.replies[3], "")
    }

    func testATargetWithoutOptionalFeatures() throws {
        var gdb = ScriptedGDB()
        gdb.send("bc")
        gdb.send("bs")
        gdb.send("Z1,401000,1")
        gdb.send("Z2,602000,4")
        gdb.send("z3,602000,4")
        gdb.send("vFile:open:2f,0,0")
        gdb.send("qXfer:auxv:read::0,fff")
        gdb.send("qXfer:exec-file:read::0,fff")
        let target = FakeTarget()
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, Array(repeating: "", count: 8))
        XCTAssertEqual(target.calls, ["start", "kill"])
    }
}
