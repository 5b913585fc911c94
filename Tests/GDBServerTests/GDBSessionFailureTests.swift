import GDBRemote
import GDBServer
import XCTest

/// Bad input, refused changes, failed runs and the ends of a session.
final class GDBSessionFailureTests: XCTestCase {
    func testMalformedPacketsGetAnErrorAndTheSessionGoesOn() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("mzz,4")
        gdb.send("Z0,1000")
        gdb.sendRaw(Array("$qC#00".utf8))
        gdb.send("qC")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["E01", "E01", "QCp64.64"])
        XCTAssertEqual(transcript.retransmissionRequests, 1, "a bad checksum asks gdb to send the packet again")
        XCTAssertEqual(transcript.acknowledgements, 3)
    }

    func testOversizedPacketGetsAnError() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("X1000,20000:" + String(repeating: "a", count: 1 << 17))
        gdb.send("qC")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["E01", "QCp64.64"])
    }

    func testUnknownPacketsGetTheEmptyReply() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("qTStatus")
        gdb.send("jThreadsInfo")
        gdb.send("vFile:pwrite:3,0,00")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["", "", ""])
    }

    func testRefusedChangesAreExplained() throws {
        let target = FakeTarget()
        target.map([0x55], at: 0x1000)
        target.runs = [.stop(.stepped, thread: 0x64)]
        let registers = HexCoding.encodeString(target.registers[0x64]!)
        var gdb = ScriptedGDB()
        gdb.send("G" + registers)
        gdb.send("G" + String(repeating: "0", count: registers.count))
        gdb.send("P10=0000000000000000")
        gdb.send("M1000,1:55")
        gdb.send("X1000,0:")
        gdb.send("M1000,1:cc")
        gdb.send("s")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [
            "OK", "E.rrdbg: registers are read-only", "E.rrdbg: registers are read-only", "OK", "OK",
            "E.rrdbg: memory is read-only", consoleOutput("rrdbg: refused: memory is read-only\n"), "T05thread:p64.64;",
        ])
        XCTAssertEqual(transcript.diagnostics, [
            "rrdbg: registers are read-only\n", "rrdbg: registers are read-only\n", "rrdbg: memory is read-only\n",
        ])
    }

    func testAFailedRunReportsTheProgramKilledUntilRunStartsItAgain() throws {
        let target = FakeTarget()
        target.runs = [.failure(FakeTarget.Failure()), .stop(.softwareBreakpoint, thread: 0x64)]
        var gdb = ScriptedGDB()
        gdb.send("c")
        gdb.send("c")
        gdb.send("?")
        gdb.send("g")
        gdb.send("qfThreadInfo")
        gdb.send("Z0,1000,1")
        gdb.send("vRun;;")
        gdb.send("c")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [
            consoleOutput("rrdbg: the program fell over\n"), "X09;process:64",
            "E.the program is not being replayed; use run to start again", "W00;process:64", "E01", "m", "E01",
            "T05thread:p64.64;", "T05thread:p64.64;swbreak:;",
        ])
        XCTAssertEqual(transcript.diagnostics, ["rrdbg: the program fell over\n"])
        XCTAssertEqual(target.calls, ["start", "resume(step: false)", "recover", "kill", "start", "resume(step: false)", "kill"])
    }

    func testAnInterruptedReverseRunStopsWithSIGINT() throws {
        let target = FakeReplayTarget()
        target.runs = [.failure(FakeTarget.Interruption())]
        var gdb = ScriptedGDB()
        gdb.send("bc")
        gdb.send("?")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [
            consoleOutput("rrdbg: run interrupted\n"), "T02thread:p64.64;", "T05thread:p64.64;",
        ])
        XCTAssertEqual(target.calls, ["start", "reverseContinue", "recover", "kill"])
    }

    func testKillOutsideExtendedModeEndsTheSession() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("k")
        gdb.send("qC")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, [])
        XCTAssertEqual(target.calls, ["start", "kill", "kill"])
        XCTAssertEqual(transcript.closeCount, 1)
    }

    func testKillInExtendedModeKeepsTheSession() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("!")
        gdb.send("vKill;64")
        gdb.send("?")
        gdb.send("m1000,1")
        gdb.send("qfThreadInfo")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.replies, ["OK", "OK", "W00;process:64", "E01", "m"])
    }

    func testGDBHangingUpWhileTheProgramRunsInterruptsIt() throws {
        let target = FakeTarget()
        target.runs = [.untilInterrupted(thread: 0x64)]
        var gdb = ScriptedGDB()
        gdb.send("c")
        let transcript = try gdb.play(against: target)

        XCTAssertEqual(transcript.acknowledgements, 1)
        XCTAssertEqual(transcript.replies, [], "nobody is left to tell")
        XCTAssertEqual(target.calls, ["start", "resume(step: false)", "kill"])
    }

    func testAFailedWriteEndsTheSession() throws {
        let target = FakeTarget()
        var gdb = ScriptedGDB()
        gdb.send("QStartNoAckMode")
        gdb.send("qC")
        gdb.send("qC")
        let transport = InMemoryTransport(gdb.chunks)
        transport.failingWritesFrom = 2
        let transcript = try gdb.play(against: target, transport: transport)

        XCTAssertEqual(transcript.replies, ["OK"])
        XCTAssertEqual(target.calls, ["start", "kill"])
    }
}
