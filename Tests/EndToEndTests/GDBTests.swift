import Foundation
import SeededRandom
import XCTest

/// The real gdb against `rrdbg replay --gdb`.
final class GDBTests: ScratchTestCase {
    private func recordCounter() throws -> (program: String, trace: String) {
        let program = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (result, trace) = try record([program])
        XCTAssertEqual(result.status, 0, result.stderr)
        return (program, trace)
    }

    private let acceptanceScript = [
        "break bump", "continue", "continue", "continue",
        "print counter", "x/4xb &counter", "bt", "finish", "info sharedlibrary",
        "delete", "watch counter", "continue",
        "delete", "break counter.c:17", "continue", "step", "bt 1",
        "delete", "continue",
    ]

    private func checkAcceptance(_ output: String, file: StaticString = #filePath, line: UInt = #line) {
        let expectations = [
            "Breakpoint 1, bump (by=3)",
            "$1 = 3",
            "0x03\t0x00\t0x00\t0x00",
            "#1  0x",  // bt reaches main
            "in main () at",
            "Value returned is $2 = 6",
            "libc.so.6",
            "Hardware watchpoint 2: counter",
            "Old value = 6",
            "New value = 10",
            "write",  // stepped into libc's write
            "No more reverse-execution history.",
        ]
        var cursor = output.startIndex
        for expected in expectations {
            guard let found = output.range(of: expected, range: cursor..<output.endIndex) else {
                XCTFail("gdb output lacks \"\(expected)\" (in order):\n\(output)", file: file, line: line)
                return
            }
            cursor = found.upperBound
        }
        XCTAssertTrue(output.contains("__GI___libc_write") || output.contains("write ("), output, file: file, line: line)
        XCTAssertTrue(output.range(of: #"0x[0-9a-f]+ +0x[0-9a-f]+ +Yes +target:\S*libc\.so\.6"#, options: .regularExpression) != nil,
                      "libc listed with symbols:\n\(output)", file: file, line: line)
    }

    func testAcceptanceScriptWithTheExecutable() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        checkAcceptance(try harness.gdb(acceptanceScript, executable: program))
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertEqual(runningProcesses(named: "counter"), [])
    }

    func testAcceptanceScriptWithoutAnyLocalFile() throws {
        let (program, trace) = try recordCounter()
        try FileManager.default.removeItem(atPath: program)
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(acceptanceScript, executable: nil)
        checkAcceptance(output)
        XCTAssertEqual(harness.waitForStub(), 0)
    }

    func testCrashStopsAtTheFaultingInstruction() throws {
        let program = try GuestPrograms.build("segfault", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(["continue", "x/i $pc", "continue"], executable: program)
        XCTAssertTrue(output.contains("Program received signal SIGSEGV, Segmentation fault."), output)
        XCTAssertTrue(output.contains("*nowhere = 1;"), output)
        XCTAssertTrue(output.contains("=> 0x"), output)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertEqual(runningProcesses(named: "segfault"), [])
    }

    func testSteppingCommands() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break main", "continue", "next", "step", "info frame", "finish", "next", "next",
            "stepi", "nexti", "until", "advance 17", "info line *$pc",
        ], executable: program)
        XCTAssertTrue(output.contains("Breakpoint 1, main () at"), output)
        XCTAssertTrue(output.contains("bump (by=1) at"), output)
        XCTAssertTrue(output.contains("Value returned is $1 = 1"), output)
        XCTAssertTrue(output.contains("Line 17 of"), output)
        XCTAssertFalse(output.contains("Remote failure"), output)
    }

    func testRegistersIncludingLinuxAndSegmentBases() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break bump", "continue", "info registers rip fs_base gs_base orig_rax", "info registers xmm0 mxcsr st0",
            "print $rdi",
        ], executable: program)
        XCTAssertTrue(output.range(of: #"rip +0x[0-9a-f]+ +0x[0-9a-f]+ <bump\+"#, options: .regularExpression) != nil, output)
        XCTAssertTrue(output.range(of: #"fs_base +0x7ff"#, options: .regularExpression) != nil, output)
        XCTAssertTrue(output.contains("gs_base"), output)
        XCTAssertTrue(output.contains("orig_rax"), output)
        XCTAssertTrue(output.contains("xmm0"), output)
        XCTAssertTrue(output.contains("mxcsr"), output)
        XCTAssertTrue(output.contains("$1 = 1"), output)
    }

    func testReadAndAccessWatchpointsAndThreads() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break bump", "continue", "delete", "rwatch counter", "continue", "delete", "awatch counter", "continue",
            "info threads",
        ], executable: program)
        XCTAssertTrue(output.contains("Hardware read watchpoint 2: counter"), output)
        XCTAssertTrue(output.contains("Value = 0"), output)
        XCTAssertTrue(output.contains("Hardware access (read/write) watchpoint 3: counter"), output)
        XCTAssertTrue(output.range(of: #"\* 1 +Thread [0-9]+\.[0-9]+"#, options: .regularExpression) != nil, output)
    }

    func testWritesAreRefusedAndTheReplayStaysExact() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break bump", "continue", "set var counter = 100", "set var $rax = 0x1234", "print bump(3)",
            "delete", "break bump if by == 5", "continue", "print counter",
        ], executable: program)
        XCTAssertTrue(output.contains("Cannot access memory at address"), output)
        XCTAssertTrue(output.contains("registers of a replay cannot be changed"), output)
        XCTAssertTrue(output.contains("$1 = 10") || output.contains("$2 = 10") || output.contains("$3 = 10"), "counter before bump(5) is 1+2+3+4:\n\(output)")
    }

    func testRunAndStartRestartFromTheBeginningAndKillLeavesNothing() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb([
            "break bump", "continue", "continue", "print counter", "kill", "info threads", "run", "print counter", "continue",
            "print by", "delete", "start", "info line *$pc", "next", "print counter",
        ], executable: program)
        XCTAssertTrue(output.contains("$1 = 1"), output)
        XCTAssertTrue(output.contains("No threads."), output)
        // As with gdbserver, run starts over and runs to the first breakpoint.
        XCTAssertEqual(output.components(separatedBy: "Breakpoint 1, bump (by=1)").count - 1, 2, output)
        XCTAssertTrue(output.contains("$2 = 0"), "after run the program starts over:\n\(output)")
        XCTAssertTrue(output.contains("$3 = 2"), output)
        XCTAssertFalse(output.contains("Could not write register"), output)
        XCTAssertTrue(output.contains("Temporary breakpoint 2, main () at"), "start stops at main:\n\(output)")
        XCTAssertTrue(output.contains("$4 = 0"), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertEqual(runningProcesses(named: "counter"), [])
    }

    func testCtrlCInterruptsARunningReplay() throws {
        let program = try GuestPrograms.build("spin", in: scratch)
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
        gdb.arguments = ["-batch", "-nx", "-ex", "target extended-remote 127.0.0.1:\(harness.port)", "-ex", "continue",
                         "-ex", "print spins > 0", "-ex", "continue", program]
        let output = Pipe()
        gdb.standardOutput = output
        gdb.standardError = output
        try gdb.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(gdb.processIdentifier, SIGINT)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gdb.waitUntilExit()
        XCTAssertTrue(text.contains("Program received signal SIGINT, Interrupt."), text)
        XCTAssertTrue(text.contains("$1 = 1"), text)
        XCTAssertTrue(text.contains("No more reverse-execution history."), text)
        XCTAssertEqual(harness.waitForStub(), 0)
    }

    func testPlainTargetRemoteAndDisconnectLeaveNoProcesses() throws {
        let (program, trace) = try recordCounter()
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(["break bump", "continue", "print by", "detach"], executable: program, target: "remote")
        XCTAssertTrue(output.contains("$1 = 1"), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertEqual(runningProcesses(named: "counter"), [])

        // gdb killed while the replay runs: the stub notices at once and ends.
        let spin = try GuestPrograms.build("spin", in: scratch)
        let (_, spinTrace) = try record([spin], trace: "spin-trace")
        let second = try GDBHarness(trace: spinTrace)
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
        gdb.arguments = ["-batch", "-nx", "-ex", "target remote 127.0.0.1:\(second.port)", "-ex", "continue", spin]
        gdb.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        gdb.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try gdb.run()
        Thread.sleep(forTimeInterval: 1)
        kill(gdb.processIdentifier, SIGKILL)
        gdb.waitUntilExit()
        XCTAssertEqual(second.waitForStub(timeout: 5), 0, "the stub ends when gdb disappears")
        XCTAssertEqual(runningProcesses(named: "spin"), [])
    }
}

/// The stub against bad input, and the one-command debugging mode.
final class GDBStubRobustnessTests: ScratchTestCase {
    func testMalformedAndRandomPacketsNeverBreakTheStub() throws {
        let program = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let socket = try RawClient(port: harness.port)
        var generator = SeededGenerator(seed: 2024)
        let valid = ["?", "g", "m0,10", "qSupported:multiprocess+", "Z0,0,1", "vCont;c", "p999", "qXfer:features:read:target.xml:0,10"]
        for round in 0..<3000 {
            var bytes: [UInt8]
            switch round % 4 {
            case 0:
                bytes = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            case 1:
                var payload = Array(valid[Int(generator.next() % UInt64(valid.count))].utf8)
                for _ in 0..<Int(generator.next() % 4) where !payload.isEmpty {
                    payload[Int(generator.next() % UInt64(payload.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                bytes = RawClient.frame(payload)
            case 2:
                bytes = Array("$g#00".utf8)  // bad checksum
            default:
                bytes = Array("$".utf8) + [UInt8](repeating: UInt8(ascii: "A"), count: 70_000) + Array("#00".utf8)
            }
            // Packets that legitimately end the session (kill, detach, vKill) are not sent.
            if let start = bytes.firstIndex(of: UInt8(ascii: "$")), start + 1 < bytes.count,
               [UInt8(ascii: "k"), UInt8(ascii: "D"), UInt8(ascii: "v")].contains(bytes[start + 1]) { continue }
            try socket.send(bytes)
            _ = try socket.drain()
        }
        Thread.sleep(forTimeInterval: 0.2)
        _ = try socket.drain()
        try socket.send(RawClient.frame(Array("qC".utf8)))
        let reply = String(decoding: try socket.waitForReply(containing: "QCp"), as: UTF8.self)
        XCTAssertTrue(reply.contains("QCp"), "the stub still answers after the fuzzing: \(reply)")
        socket.close()
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
        XCTAssertEqual(runningProcesses(named: "exit42"), [])
    }

    /// About 20k `vFile:open` calls without a close once used up the stub's descriptors and
    /// ended it; opens beyond 64 now fail with EMFILE and the stub goes on.
    func testOpenFilesAreCapped() throws {
        let program = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let socket = try RawClient(port: harness.port)
        let open = RawClient.frame(Array("vFile:open:\(program.utf8.map { String(format: "%02x", $0) }.joined()),0,0".utf8))
        try socket.send(Array(Array(repeating: open, count: 200).joined()) + RawClient.frame(Array("qC".utf8)))
        let replies = String(decoding: try socket.waitForReply(containing: "QCp"), as: UTF8.self)
        XCTAssertEqual(replies.components(separatedBy: "$F-1,18#").count - 1, 136, replies)
        XCTAssertTrue(replies.contains("QCp"), "the stub still answers: \(replies)")
        socket.close()
        XCTAssertEqual(harness.waitForStub(), 0, harness.laterErrors)
    }

    func testDebugCommandStartsGDBAttached() throws {
        let program = try GuestPrograms.build("counter", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let result = try RRDBGCommand.run(
            ["debug", trace, "--", "-batch", "-nx", "-ex", "break bump", "-ex", "continue", "-ex", "print by", "-ex", "continue"],
            timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = result.stdoutText + result.stderr
        XCTAssertTrue(output.contains("Breakpoint 1, bump (by=1)"), output)
        XCTAssertTrue(output.contains("$1 = 1"), output)
        XCTAssertEqual(runningProcesses(named: "counter"), [])
    }

    func testStubListensOnLoopbackOnly() throws {
        let program = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let listening = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
        let port = String(format: "%04X", harness.port)
        XCTAssertTrue(listening.contains("0100007F:\(port)"), "bound to 127.0.0.1:\(harness.port)")
        XCTAssertFalse(listening.contains("00000000:\(port)"), "not bound to every address")
        _ = try harness.gdb(["kill"], executable: program)
        XCTAssertEqual(harness.waitForStub(), 0)
    }
}

struct StubClosed: Error {}

/// A bare TCP client speaking raw bytes to the stub, for fuzzing below gdb.
final class RawClient {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw XCTSkip("cannot connect to the stub") }
    }

    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let sum = payload.reduce(UInt8(0)) { $0 &+ $1 }
        return [UInt8(ascii: "$")] + payload + Array("#\(String(format: "%02x", sum))".utf8)
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw StubClosed() }
            offset += sent
        }
    }

    /// Reads whatever is waiting, without blocking for long.
    func drain() throws -> [UInt8] {
        var collected: [UInt8] = []
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&request, 1, 1) > 0 {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            collected += buffer[0..<count]
        }
        return collected
    }

    /// Reads until a reply containing `text` arrived, or 10 seconds passed.
    func waitForReply(containing text: String) throws -> [UInt8] {
        var collected: [UInt8] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            collected += try drain()
            if String(decoding: collected, as: UTF8.self).contains(text) { break }
        }
        return collected
    }

    /// Whether the stub closed the connection within `timeout` seconds, sending nothing.
    func waitForClose(timeout: Int32) throws -> Bool {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, timeout * 1000) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    func close() { Glibc.close(fd) }
}

/// Backtraces that cross libc.
final class GDBBacktraceTests: ScratchTestCase {
    func testBacktraceFromACallbackRunsThroughLibc() throws {
        let program = try GuestPrograms.build("callback", in: scratch, optimization: "-O0")
        let (_, trace) = try record([program])
        let harness = try GDBHarness(trace: trace)
        let output = try harness.gdb(["break compare", "continue", "bt", "print *(int *)left"], executable: program)
        XCTAssertTrue(output.contains("Breakpoint 1, compare ("), output)
        XCTAssertTrue(output.range(of: #"#[0-9]+ +(0x[0-9a-f]+ in )?(msort|[_A-Za-z]*qsort)[_a-z]* \("#, options: .regularExpression) != nil, "a libc frame:\n\(output)")
        XCTAssertTrue(output.range(of: #"#[0-9]+ +0x[0-9a-f]+ in main \(\) at .*callback\.c"#, options: .regularExpression) != nil, output)
        XCTAssertTrue(output.contains("$1 = "), output)
    }
}
