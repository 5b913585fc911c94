import Foundation
import XCTest

/// Reaching places in hot loops under the real gdb: a compute hang ended by --timeout,
/// preempted tight loops, and a loop where no probe can be placed. Times are asserted loosely
/// (regression guards; `benchmarks/hotloops` measures them).
final class HotLoopTests: ScratchTestCase {
    /// A gdb script defining `codesum`: a checksum of the program's code around main, as gdb
    /// reads it. Probes must never show there (nor breakpoints: the stub hides those).
    private func codeChecksumScript() throws -> String {
        let script = path("codesum.py")
        try """
        import zlib
        import gdb

        class CodeSum(gdb.Command):
            def __init__(self):
                super().__init__("codesum", gdb.COMMAND_USER)

            def invoke(self, argument, from_tty):
                start = int(gdb.parse_and_eval("(long) &main")) & ~0xfff
                data = bytes(gdb.selected_inferior().read_memory(start, 8192))
                print("CODESUM %08x" % zlib.crc32(data))

        CodeSum()
        """.write(toFile: script, atomically: true, encoding: .utf8)
        return script
    }

    private func codeSums(in output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("CODESUM ") }.map(String.init)
    }

    func testContinueAndReverseThroughASpinHang() throws {
        let program = try GuestPrograms.build("spin_forever", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "1"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let harness = try GDBHarness(trace: trace)
        let back = Array(repeating: ["reverse-stepi", "info registers", "codesum"], count: 20).flatMap { $0 }
        let forward = Array(repeating: ["stepi", "info registers"], count: 20).flatMap { $0 }
        let started = Date()
        let output = try harness.gdb(
            ["source \(try codeChecksumScript())", "codesum", "continue", "codesum", "info registers"] + back + forward
                + ["watch x", "reverse-continue", "codesum", "print x", "info line *$pc", "delete",
                   "break main", "reverse-continue", "codesum", "info line *$pc"],
            executable: program)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("No more reverse-execution history."), "continue reaches the end of the hang:\n\(output)")
        XCTAssertLessThan(elapsed, 60, "a second of spinning must not take minutes to reach:\n\(output)")

        // 20 steps back and 20 forward again retrace the same registers, across passes.
        let dumps = RegisterDump.all(in: output)
        XCTAssertEqual(dumps.count, 41, output)
        if dumps.count == 41 {
            let backward = Array(dumps[1...20])
            let replayed = Array(dumps[21...40])
            for step in 1...19 { XCTAssertEqual(replayed[step - 1], backward[20 - step - 1], "forward step \(step)") }
            XCTAssertEqual(replayed[19], dumps[0], "20 steps forward return to the end")
            XCTAssertEqual(Set(backward.map { $0["rip"] ?? "" }).count, 6, "the loop's six instructions, several passes deep")
        }
        // The last write to x is in the last pass: backwards, gdb stops on the instruction
        // that made it, x one step of 3 below its final value.
        XCTAssertTrue(output.contains("Hardware watchpoint 1: x"), output)
        let change = try XCTUnwrap(output.range(of: #"Old value = (\d+)\nNew value = (\d+)"#, options: .regularExpression), output)
        let values = output[change].split(separator: "\n").map { Int($0.split(separator: "=").last!.trimmingCharacters(in: .whitespaces))! }
        XCTAssertEqual(values[0] - values[1], 3, output)
        XCTAssertTrue(output.contains("Breakpoint 2, main () at"), "back to before the loop:\n\(output)")
        // The program's code is its own at every stop.
        let sums = codeSums(in: output)
        XCTAssertEqual(sums.count, 24, output)
        XCTAssertEqual(Set(sums).count, 1, "code changed at a stop:\n\(sums)")
        XCTAssertEqual(runningProcesses(named: "spin_forever"), [])
    }

    func testAHangWhoseStateRepeatsOnEveryPass() throws {
        let program = try GuestPrograms.build("flag_spin", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program], options: ["--timeout", "1"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let harness = try GDBHarness(trace: trace)
        let back = Array(repeating: ["reverse-stepi", "info registers"], count: 4).flatMap { $0 }
        let forward = Array(repeating: ["stepi", "info registers"], count: 4).flatMap { $0 }
        let output = try harness.gdb(["continue", "info registers", "print flag"] + back + forward, executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertTrue(output.contains("$1 = 0"), output)
        let dumps = RegisterDump.all(in: output)
        XCTAssertEqual(dumps.count, 9, output)
        if dumps.count == 9 {
            XCTAssertEqual(Array(dumps[5...8]), [dumps[3], dumps[2], dumps[1], dumps[0]], "steps forward retrace the steps back")
        }
    }

    func testABreakpointInAPreemptedTightLoopIsHitAsOftenBothWays() throws {
        let program = try GuestPrograms.build("preempted_ticks", in: scratch)
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.stdoutText, "last tick 1073741824\n", recorded.stderr)
        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertGreaterThanOrEqual(dump.stdoutText.components(separatedBy: " async ").count - 1, 5, "the loops were preempted")
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(
            ["break tick"] + Array(repeating: ["continue", "print pass"], count: 4).flatMap { $0 } + ["continue"]
                + Array(repeating: ["reverse-continue", "print pass"], count: 4).flatMap { $0 } + ["reverse-continue"],
            executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        let passes = output.split(separator: "\n").filter { $0.hasPrefix("$") }.map { $0.split(separator: " ").last.map(String.init) ?? "" }
        let ticks = (1...4).map { String($0 << 28) }
        XCTAssertEqual(passes, ticks + ticks.reversed(), output)
        XCTAssertEqual(output.components(separatedBy: "No more reverse-execution history.").count - 1, 2, "the end, then the start:\n\(output)")
    }

    func testAPreemptionWhereNoProbeFitsIsReachedByAMarker() throws {
        let program = try GuestPrograms.build("unpatchable_spin", in: scratch)
        let (recorded, trace) = try record([program])
        XCTAssertTrue(recorded.stdoutText.contains("total 1310720000"), recorded.stdoutText)
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(["break done", "continue", "print total"], executable: program)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertTrue(output.contains("$1 = 1310720000"), output)
        let errors = harness.laterErrors
        XCTAssertTrue(errors.contains("(no 5 bytes around it are free of branch targets and movable); reaching it costs one trap per pass"), errors)
    }

    func testReverseStepFromEveryKindOfEnd() throws {
        // The program exited.
        let counter = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (_, exited) = try record([counter], trace: "exited")
        var harness = try GDBHarness(trace: exited)
        var output = try harness.gdb(["continue", "print $pc", "reverse-stepi", "print $pc", "reverse-stepi", "print $pc"], executable: counter)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        assertThreeDifferentPCs(output)

        // It died of SIGSEGV: the first reverse-stepi moves off the faulting instruction.
        let segfault = try GuestPrograms.build("segfault", in: scratch, optimization: "-O0")
        let (_, crashed) = try record([segfault], trace: "crashed")
        harness = try GDBHarness(trace: crashed)
        output = try harness.gdb(["continue", "print $pc", "reverse-stepi", "print $pc", "reverse-stepi", "print $pc"], executable: segfault)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("Program received signal SIGSEGV"), output)
        assertThreeDifferentPCs(output)

        // --timeout ended it blocked in a syscall.
        let blocked = try GuestPrograms.build("lonely_read", in: scratch, optimization: "-O0")
        let (_, timedOut) = try record([blocked], trace: "blocked", options: ["--timeout", "1"])
        harness = try GDBHarness(trace: timedOut)
        output = try harness.gdb(["continue", "print $pc", "reverse-stepi", "print $pc", "reverse-stepi", "print $pc", "bt 1"], executable: blocked)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        assertThreeDifferentPCs(output)
        XCTAssertFalse(output.contains("rrdbg:"), output)
    }

    private func assertThreeDifferentPCs(_ output: String, file: StaticString = #filePath, line: UInt = #line) {
        let pcs = output.split(separator: "\n").filter { $0.hasPrefix("$") }.map { $0.split(separator: "0x").last.map(String.init) ?? "" }
        XCTAssertEqual(pcs.count, 3, output, file: file, line: line)
        XCTAssertEqual(Set(pcs).count, 3, "each reverse-stepi moves:\n\(output)", file: file, line: line)
        XCTAssertFalse(output.contains("could not find"), output, file: file, line: line)
    }
}
