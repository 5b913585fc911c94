import Foundation
import XCTest

/// Programs that start other programs: the whole process tree goes into one trace, and replay
/// reproduces every process's output and exit status without running anything again.
final class ProcessTests: ScratchTestCase {
    func testForkExitStatusesSignalsSessionsAndVfork() throws {
        let program = try GuestPrograms.build("processes", in: scratch)
        let (recorded, trace) = try assertReplayMatches([program], expectedStatus: 5)
        XCTAssertTrue(recorded.stdoutText.contains("exited with 7\n"), recorded.stdoutText)
        XCTAssertTrue(recorded.stdoutText.contains("killed by signal 15\n"), recorded.stdoutText)
        XCTAssertTrue(recorded.stdoutText.contains("exec'd by a vfork child\n"), recorded.stdoutText)
        let listed = try RRDBGCommand.run(["ps", trace])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let lines = listed.stdoutText.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, listed.stdoutText)
        XCTAssertTrue(lines[1].contains("      -  5 "), listed.stdoutText)
        XCTAssertTrue(lines[2].contains("  7 "), listed.stdoutText)
        XCTAssertTrue(lines[3].contains("signal 15"), listed.stdoutText)
        XCTAssertTrue(lines[5].hasSuffix("echo exec'd by a vfork child"), listed.stdoutText)
    }

    func testExecWhileASecondThreadRuns() throws {
        let program = try GuestPrograms.build("threaded_exec", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertEqual(recorded.stdoutText, "starting a thread, then exec\nexec'd with a second thread alive\n")
    }

    func testJobControlStopsAndContinuesAChild() throws {
        let program = try GuestPrograms.build("job_control", in: scratch)
        let (recorded, _) = try assertReplayMatches([program])
        XCTAssertEqual(recorded.stdoutText, "stopped: 1 by signal 19\ncontinued: 1\nterminated: 1 by signal 15\n")
    }

    func testShellPipelineWithForkExecAndWait() throws {
        let script = "echo start $$; date +%N | tr 0-9 a-j; ls / | wc -l; exit 3"
        let (recorded, trace) = try assertReplayMatches(["/bin/sh", "-c", script], expectedStatus: 3)
        XCTAssertTrue(recorded.stdoutText.hasPrefix("start "), recorded.stdoutText)
        let listed = try RRDBGCommand.run(["ps", trace])
        for command in ["date +%N", "tr 0-9 a-j", "ls /", "wc -l"] {
            XCTAssertTrue(listed.stdoutText.contains(command), listed.stdoutText)
        }
    }

    func testScriptWithAnInterpreterLine() throws {
        let script = path("stamp.sh")
        try "#!/bin/sh\necho \"script $$ at $(date +%s%N)\"\nexit 4\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let (recorded, _) = try assertReplayMatches([script], expectedStatus: 4)
        XCTAssertTrue(recorded.stdoutText.hasPrefix("script "), recorded.stdoutText)
        let (nested, _) = try assertReplayMatches(["/bin/sh", "-c", "\(script); echo nested $?"], trace: "nested")
        XCTAssertTrue(nested.stdoutText.hasSuffix("nested 4\n"), nested.stdoutText)
    }

    func testPythonMultiprocessingPool() throws {
        // Worker processes share semaphores through memory mapped before they were forked.
        let script = "import multiprocessing as m, os\np = m.Pool(2)\nprint(sum(p.map(abs, range(-50, 50))), os.getpid())\np.close(); p.join()"
        let (recorded, _) = try assertReplayMatches(["/usr/bin/python3", "-c", script])
        XCTAssertTrue(recorded.stdoutText.hasPrefix("2500 "), recorded.stdoutText)
    }

    func testMakeBuildingASmallCProject() throws {
        let project = path("project")
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        let files = [
            "a.c": "int twice(int x) { return 2 * x; }\n",
            "b.c": "int twice(int);\nint thrice(int x) { return twice(x) + x; }\n",
            "main.c": "#include <stdio.h>\nint thrice(int);\nint main(void) { printf(\"%d\\n\", thrice(14)); return 0; }\n",
            "Makefile": "prog: main.o a.o b.o\n\tgcc -o prog main.o a.o b.o\n%.o: %.c\n\tgcc -c -O1 -o $@ $<\n",
        ]
        for (name, text) in files {
            try text.write(toFile: "\(project)/\(name)", atomically: true, encoding: .utf8)
        }
        let (recorded, trace) = try assertReplayMatches(["/usr/bin/make", "-C", project])
        XCTAssertTrue(recorded.stdoutText.contains("gcc -o prog main.o a.o b.o"), recorded.stdoutText)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: "\(project)/prog"), "the recording really built it")
        let listed = try RRDBGCommand.run(["ps", trace])
        XCTAssertTrue(listed.stdoutText.contains("/usr/bin/ld "), listed.stdoutText)
    }
}

/// `-p PID` debugs a process other than the first: here `tr` in the middle of a pipeline.
final class ProcessDebuggingTests: ScratchTestCase {
    func testDebuggingOneProcessOfAPipeline() throws {
        let (recorded, trace) = try record(["/bin/sh", "-c", "echo hello | tr a-z A-Z"])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertEqual(recorded.stdoutText, "HELLO\n")
        let listed = try RRDBGCommand.run(["ps", trace])
        guard let line = listed.stdoutText.split(separator: "\n").first(where: { $0.hasSuffix("  tr a-z A-Z") }),
              let pid = line.split(separator: " ").first
        else { return XCTFail("no tr in:\n\(listed.stdoutText)") }

        let harness = try GDBHarness(trace: trace, extraArguments: ["-p", String(pid)])
        let output = try harness.gdb([
            "set breakpoint pending on", "info threads", "break write", "continue", "print (char *) $rsi",
            "continue", "reverse-continue", "print (char *) $rsi", "stepi", "print $pc", "reverse-stepi", "print $pc",
            "reverse-stepi", "print $pc",
        ], executable: nil)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertTrue(output.contains("Thread \(pid).\(pid)"), output)
        XCTAssertTrue(output.contains("\"HELLO\\n\""), "tr's own write, in tr's memory:\n\(output)")
        XCTAssertTrue(output.contains("No more reverse-execution history."), "its end is the end of history:\n\(output)")
        XCTAssertTrue(output.contains("$2 = 0x") && output.components(separatedBy: "\"HELLO\\n\"").count == 3,
                      "reverse-continue from its end finds the write again:\n\(output)")
        // stepi then reverse-stepi comes back to the same instruction, and one more goes before it.
        let pcs = output.components(separatedBy: "\n").filter { $0.hasPrefix("$3 = ") || $0.hasPrefix("$4 = ") || $0.hasPrefix("$5 = ") }
            .map { $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" }
        XCTAssertEqual(pcs.count, 3, output)
        if pcs.count == 3 { XCTAssertNotEqual(pcs[0], pcs[1], output) }

        let missing = try RRDBGCommand.run(["replay", "--gdb", "-p", "1", trace], timeout: 60)
        XCTAssertEqual(missing.status, 124, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("the recording has no process 1 (rrdbg ps lists its processes)"), missing.stderr)
    }

    func testWithoutAPidTheFirstProcessIsDebugged() throws {
        let (recorded, trace) = try record(["/bin/sh", "-c", "echo first; echo second | cat"])
        XCTAssertEqual(recorded.stdoutText, "first\nsecond\n", recorded.stderr)
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "set breakpoint pending on", "break write", "continue", "print (char *) $rsi", "continue",
            "reverse-continue", "print (char *) $rsi",
        ], executable: nil)
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        // sh's own write stops; the forked echo and cat, which inherited the breakpoint, do not.
        XCTAssertTrue(output.contains("$1 = 0x") && output.contains("\"first\\n\""), output)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(output.components(separatedBy: "\"first\\n\"").count - 1, 2, output)
        XCTAssertFalse(output.contains("\"second\\n\""), output)
    }
}
