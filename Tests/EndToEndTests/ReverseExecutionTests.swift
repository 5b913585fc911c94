import Foundation
import XCTest

/// Reverse execution with the real gdb: reverse-continue, reverse-step/next/finish/stepi and
/// watchpoints backwards.
final class ReverseExecutionTests: ScratchTestCase {
    private func debug(_ guest: String, _ commands: [String], expectedStatus: Int32 = 0) throws -> String {
        let program = try GuestPrograms.build(guest, in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.status, expectedStatus, recorded.stderr)
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(commands, executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertEqual(runningProcesses(named: guest), [], "no replay or checkpoint process is left behind")
        return output
    }

    func testWatchAndReverseContinueFindTheBadWrite() throws {
        let output = try debug("badwrite", [
            "continue", "print index_limit", "watch index_limit", "reverse-continue",
            "print iteration", "print iteration == chosen", "print checksum",
        ], expectedStatus: 128 + SIGSEGV)
        XCTAssertTrue(output.contains("Program received signal SIGSEGV"), output)
        XCTAssertTrue(output.contains("$1 = 1048576"), output)
        XCTAssertTrue(output.contains("Old value = 1048576"), output)
        XCTAssertTrue(output.contains("New value = 3"), output)
        XCTAssertTrue(output.contains("index_limit = 1 << 20;"), "stops on the line that wrote the bad value:\n\(output)")
        XCTAssertTrue(output.contains("$3 = 1"), "the loop variable is the chosen iteration:\n\(output)")
    }

    func testReverseNextStepAndFinish() throws {
        let output = try debug("calls", [
            "break 15", "continue",
            "reverse-next", "info line *$pc", "reverse-next", "info line *$pc", "print first",
            "next", "next", "reverse-step", "info line *$pc", "print value",
            "reverse-finish", "info line *$pc", "bt 1",
        ])
        let lines = output.components(separatedBy: "\n")
        XCTAssertTrue(output.contains("Breakpoint 1, main () at"), output)
        // reverse-next steps back over each call: to the line of square(4), then of square(3).
        XCTAssertTrue(lines.contains { $0.hasPrefix("Line 14 of") }, output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Line 13 of") }, output)
        XCTAssertTrue(output.contains("$1 = 0"), "back before the first call, first is not set yet:\n\(output)")
        // reverse-step from after the call enters square at its last line.
        XCTAssertTrue(output.contains("square (value=4) at"), output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Line 10 of") }, output)
        XCTAssertTrue(output.contains("$2 = 4"), output)
        // reverse-finish goes back to the call site in main.
        XCTAssertTrue(output.range(of: #"0x[0-9a-f]+ in main \(\) at .*calls\.c:14"#, options: .regularExpression) != nil, output)
        XCTAssertTrue(output.contains("#0  0x"), output)
    }

    func testFiftyReverseStepisRetraceTheForwardRegistersExactly() throws {
        let back = Array(repeating: ["reverse-stepi", "info registers"], count: 50).flatMap { $0 }
        let forward = Array(repeating: ["stepi", "info registers"], count: 50).flatMap { $0 }
        let output = try debug("counter", ["break bump", "continue", "continue", "info registers"] + back + forward)
        let dumps = RegisterDump.all(in: output)
        XCTAssertEqual(dumps.count, 101, output)
        guard dumps.count == 101 else { return }
        let start = dumps[0]
        let backward = Array(dumps[1...50])      // P-1 ... P-50
        let replayed = Array(dumps[51...100])    // P-49 ... P
        for step in 1...49 {
            XCTAssertEqual(replayed[step - 1], backward[50 - step - 1], "forward step \(step) differs from the way back")
        }
        XCTAssertEqual(replayed[49], start, "50 steps forward return to the starting point")
        XCTAssertNotEqual(backward[49], start)
    }

    func testBoundariesAndSeveralBreakpoints() throws {
        let output = try debug("counter", [
            "continue", "reverse-continue", "info line *$pc",
            "set exec-direction reverse", "stepi", "set exec-direction forward",
            "break bump if by == 2", "break bump if by == 5", "break bump if by == 8",
            "continue", "continue", "continue", "continue",
            "reverse-continue", "print by", "reverse-continue", "print by", "reverse-continue", "print by",
            "reverse-continue",
        ])
        let ends = output.components(separatedBy: "No more reverse-execution history.").count - 1
        XCTAssertEqual(ends, 5, "forward end, back to the start, a reverse stepi there, forward end, back to the start:\n\(output)")
        let printed = output.split(separator: "\n").filter { $0.hasPrefix("$") }.map(String.init)
        XCTAssertEqual(printed, ["$1 = 8", "$2 = 5", "$3 = 2"], output)
    }
}

/// The registers `info registers` printed, one dictionary per command.
enum RegisterDump {
    static func all(in output: String) -> [[String: String]] {
        var dumps: [[String: String]] = []
        var current: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, Registers.known.contains(String(fields[0])) else { continue }
            if fields[0] == "rax", !current.isEmpty {
                dumps.append(current)
                current = [:]
            }
            current[String(fields[0])] = String(fields[1])
        }
        if !current.isEmpty { dumps.append(current) }
        return dumps
    }

    private enum Registers {
        static let known: Set<String> = [
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
            "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base",
        ]
    }
}

/// What the program prints while reverse execution re-executes it is not printed again.
final class ReverseOutputTests: ScratchTestCase {
    func testReExecutionDoesNotRepeatTheProgramsOutput() throws {
        let program = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let result = try RRDBGCommand.run([
            "debug", trace, "--", "-batch", "-nx", "-ex", "break bump", "-ex", "continue", "-ex", "continue",
            "-ex", "reverse-continue", "-ex", "print by", "-ex", "continue", "-ex", "print by",
        ], timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = result.stdoutText
        XCTAssertTrue(output.contains("$1 = 1") && output.contains("$2 = 2"), output)
        // Printed when bump(2) is first reached, and again when forward execution runs the
        // write once more after going back; never while going back.
        XCTAssertEqual(output.components(separatedBy: "step 1 counter 1").count - 1, 2, output)
    }
}

/// A watchpoint fires on memory the kernel writes for a syscall (emulated in replay, so no
/// instruction of the program writes it), forwards and backwards.
final class KernelWriteWatchpointTests: ScratchTestCase {
    func testWatchpointOnABufferThatReadFills() throws {
        let program = try GuestPrograms.build("read_into", in: scratch, optimization: "-O0")
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.stdoutText, "jello\n", recorded.stderr)
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break main", "continue", "watch buffer[0]", "continue", "bt 2", "continue", "reverse-continue",
            "reverse-continue", "bt 2",
        ], executable: program)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("Old value = 0 '\\000'\nNew value = 104 'h'"), "read filled it:\n\(output)")
        XCTAssertTrue(output.contains("Old value = 104 'h'\nNew value = 106 'j'"), "then the program changed it:\n\(output)")
        XCTAssertTrue(output.contains("Old value = 104 'h'\nNew value = 0 '\\000'"), "backwards, before the read:\n\(output)")
        XCTAssertEqual(output.components(separatedBy: "in __GI___libc_read (fd=3, buf=").count - 1 >= 2, true, output)
    }
}
