import GDBRemote
import GDBServer
import XCTest

/// A session driven through whole conversations as gdb holds them, against a fake target.
final class GDBSessionTests: XCTestCase {
    func testConnectionSequence() throws {
        let target = FakeTarget()
        target.map([0xde, 0xad, 0xbe, 0xef], at: 0x1000)
        target.runs = [.stop(.softwareBreakpoint, thread: 0x65)]
        var gdb = ScriptedGDB()
        gdb.sendRaw(Array("+".utf8))
        gdb.send("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+;xmlRegisters=i386")
        gdb.send("QStartNoAckMode")
        gdb.send("!")
        gdb.send("?")
        gdb.send("g")
        gdb.send("m1000,4")
        gdb.send("Z0,1000,1")
        gdb.send("c")
        gdb.send("qC")
        gdb.send("qfThreadInfo")
        gdb.send("qsThreadInfo")
        gdb.send("D;64")
        gdb.send("?")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [
            "PacketSize=10000;QStartNoAckMode+;qXfer:features:read+;multiprocess+;swbreak+;vContSupported+;"
                + "QPassSignals+;QProgramSignals+",
            "OK", "OK", "T05thread:p64.64;", HexCoding.encodeString(target.registers[0x64]!), "deadbeef", "OK",
            "T05thread:p64.65;swbreak:;", "QCp64.65", "mp64.64,p64.65", "l", "OK",
        ])
        XCTAssertEqual(transcript.acknowledgements, 2, "only qSupported and QStartNoAckMode are acknowledged")
        XCTAssertEqual(target.softwareBreakpoints, [0x1000])
        XCTAssertEqual(target.calls, ["start", "resume(step: false)", "kill"])
        XCTAssertEqual(transcript.closeCount, 1)
    }

    func testSingleRegisterAndThreadSelection() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("p10")
        gdb.send("Hgp64.65")
        gdb.send("g")
        gdb.send("Hgp64.99")
        gdb.send("T65")
        gdb.send("Tp64.99")
        gdb.send("Hc-1")
        gdb.send("p1000")
        let transcript = try gdb.play(against: target)

        let rip = RegisterLayout.register(named: "rip")!
        XCTAssertEqual(rip.number, 0x10)
        let ripBytes = target.registers[0x64]![rip.offset..<rip.offset + rip.byteSize]
        XCTAssertEqual(transcript.replies, [
            HexCoding.encodeString(ripBytes), "OK", HexCoding.encodeString(target.registers[0x65]!), "E01", "OK", "E01",
            "OK", "E01",
        ])
    }

    func testMemoryReadsStopAtTheFirstUnreadableByte() throws {
        let target = FakeTarget()
        target.map([1, 2, 3], at: 0x2000)
        var gdb = ScriptedGDB()
        gdb.send("m2000,8")
        gdb.send("m3000,1")
        gdb.send("m3000,0")
        gdb.send("Z0,3000,1")
        gdb.send("z0,3000,1")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["010203", "E0e", "", "E0e", "OK"])
    }

    func testResumePacketsChooseStepOrContinue() throws {
        let target = FakeTarget()
        target.runs = Array(repeating: .stop(.stepped, thread: 0x64), count: 6)
        var gdb = ScriptedGDB()
        gdb.send("vCont?")
        gdb.send("vCont;s:p64.64;c")
        gdb.send("vCont;c")
        gdb.send("s")
        gdb.send("S05")
        gdb.send("C0b")
        gdb.send("vCont;r1000,2000:p64.64;c")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["vCont;c;C;s;S"] + Array(repeating: "T05thread:p64.64;", count: 6))
        XCTAssertEqual(target.calls, [
            "start", "resume(step: true)", "resume(step: false)", "resume(step: true)", "resume(step: true)",
            "resume(step: false)", "resume(step: false)", "kill",
        ])
    }

    func testCtrlCStopsARunningProgram() throws {
        let target = FakeTarget()
        target.runs = [.untilInterrupted(thread: 0x65)]
        var gdb = ScriptedGDB()
        gdb.send("QStartNoAckMode")
        gdb.send("c")
        gdb.sendRaw([0x03])
        gdb.send("qC")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["OK", "T02thread:p64.65;", "QCp64.65"])
    }

    func testPacketsThatArriveWhileTheProgramRunsWaitTheirTurn() throws {
        let target = FakeTarget()
        target.runs = [.untilInterrupted(thread: 0x64)]
        var gdb = ScriptedGDB()
        gdb.send("QStartNoAckMode")
        gdb.send("c")
        gdb.sendRaw(PacketEncoder.frame(Array("qC".utf8)) + [0x03])
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["OK", "T02thread:p64.64;", "QCp64.64"])
    }

    func testStopRepliesNameTheirReason() throws {
        let target = FakeReplayTarget()
        target.runs = [
            .stop(.hardwareBreakpoint, thread: 0x64), .stop(.watchpoint(.write, address: 0x10), thread: 0x64),
            .stop(.watchpoint(.read, address: 0x20), thread: 0x64), .stop(.watchpoint(.access, address: 0x30), thread: 0x64),
            .stop(.signal(10), thread: 0x65), .stop(.endOfHistory, thread: 0x64),
        ]
        var gdb = ScriptedGDB()
        for _ in target.runs { gdb.send("c") }
        gdb.send("?")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [
            "T05thread:p64.64;hwbreak:;", "T05thread:p64.64;watch:10;", "T05thread:p64.64;rwatch:20;",
            "T05thread:p64.64;awatch:30;", "T1ethread:p64.65;", "T05thread:p64.64;replaylog:end;",
            "T05thread:p64.64;replaylog:end;",
        ])
    }

    func testEveryPacketOfAGDBSessionGetsOneReply() throws {
        let target = FakeReplayTarget()
        target.map([0x90], at: 0x1000)
        target.runs = Array(repeating: .stop(.stepped, thread: 0x64), count: 4)
        let packets = [
            "qSupported:multiprocess+;swbreak+", "vMustReplyEmpty", "QStartNoAckMode", "!", "Hgp0.0",
            "qXfer:features:read:target.xml:0,ffb", "qTStatus", "?", "qfThreadInfo", "qsThreadInfo", "qAttached:64",
            "Hc-1", "qC", "qOffsets", "g", "qXfer:auxv:read::0,ffb", "qSymbol::", "qThreadExtraInfo,p64.64",
            "qRcmd,68656c70", "QNonStop:0", "QPassSignals:e;14", "Z0,1000,1", "vCont;c:p64.64", "bc", "bs",
            "vCont;s:p64.1;c", "z0,1000,1", "vFile:setfs:0", "vRun;;", "vKill;64", "D;64",
        ]
        var gdb = ScriptedGDB()
        for packet in packets { gdb.send(packet) }
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies.count, packets.count)
        XCTAssertEqual(transcript.replies.last, "OK")
        XCTAssertEqual(target.calls.first, "start")
        XCTAssertEqual(target.calls.last, "kill")
    }
}
