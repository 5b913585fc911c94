import Foundation
import XCTest

/// Who can reach a replay stub: only the user who started it, over loopback TCP or a private
/// Unix socket, and no idle or foreign connection can use up the one session.
final class GDBAccessTests: ScratchTestCase {
    private func recordExit42() throws -> (program: String, trace: String) {
        let program = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([program])
        return (program, trace)
    }

    /// A stub with `arguments`, which must start: an option it does not know is a failure here,
    /// not a reason to skip.
    private func startedStub(trace: String, arguments: [String]) throws -> GDBHarness {
        do {
            return try GDBHarness(trace: trace, extraArguments: arguments)
        } catch {
            XCTFail("rrdbg replay --gdb \(arguments.joined(separator: " ")) did not start: \(error)")
            throw error
        }
    }

    func testGDBAttachesThroughAPrivateUnixSocket() throws {
        let (program, trace) = try recordExit42()
        let socket = path("gdb.sock")
        let harness = try startedStub(trace: trace, arguments: ["--socket", socket])
        XCTAssertEqual(harness.address, socket)
        var status = stat()
        XCTAssertEqual(lstat(socket, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)

        let output = try harness.gdb(["continue"], executable: program)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket), "the socket is removed on exit")
    }

    func testTheSocketIsRemovedWhenTheStubIsTerminated() throws {
        let (_, trace) = try recordExit42()
        let socket = path("gdb.sock")
        let harness = try startedStub(trace: trace, arguments: ["--socket", socket])
        XCTAssertTrue(FileManager.default.fileExists(atPath: socket))
        harness.stub.terminate()
        harness.stub.waitUntilExit()
        XCTAssertEqual(harness.stub.terminationReason, .uncaughtSignal, "SIGTERM still ends rrdbg")
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket))
    }

    /// Another local user connecting first once took the one-shot stub and could read the
    /// trace; now it is turned away and the user's own gdb still gets in.
    func testAnotherUserIsRefusedAndGDBStillConnects() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to connect as another user") }
        let (program, trace) = try recordExit42()
        let harness = try GDBHarness(trace: trace)
        let intruder = Process()
        intruder.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        intruder.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", "/bin/bash", "-c",
                              "exec 3<>/dev/tcp/127.0.0.1/\(harness.port) && printf '+$qSupported#37' >&3 && timeout 10 cat <&3"]
        let intruderOutput = Pipe()
        intruder.standardOutput = intruderOutput
        try intruder.run()
        let stolen = intruderOutput.fileHandleForReading.readDataToEndOfFile()
        intruder.waitUntilExit()
        XCTAssertEqual(String(decoding: stolen, as: UTF8.self), "", "nobody gets no answer")

        let output = try harness.gdb(["continue"], executable: program)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertTrue(harness.laterErrors.contains("refused a gdb connection from 127.0.0.1:"), harness.laterErrors)
    }

    /// A port scan or an idle connection once used up the stub; it is closed after a few
    /// seconds of silence and gdb connects afterwards.
    func testASilentConnectionIsDroppedAndGDBStillConnects() throws {
        let (program, trace) = try recordExit42()
        let harness = try GDBHarness(trace: trace)
        let idle = try RawClient(port: harness.port)
        let start = Date()
        XCTAssertEqual(try idle.waitForClose(timeout: 15), true, "the stub closes a silent connection")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)

        let output = try harness.gdb(["continue"], executable: program)
        XCTAssertTrue(output.contains("No more reverse-execution history."), output)
        XCTAssertEqual(harness.waitForStub(), 0)
        XCTAssertTrue(harness.laterErrors.contains("sent no gdb packet within 5 s"), harness.laterErrors)
    }

    func testListeningBeyondLoopbackNeedsExplicitConsent() throws {
        let (_, trace) = try recordExit42()
        let refused = try RRDBGCommand.run(["replay", "--gdb", "--host", "0.0.0.0", trace], timeout: 30)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-remote"), refused.stderr)

        let harness = try startedStub(trace: trace, arguments: ["--host", "0.0.0.0", "--allow-remote"])
        XCTAssertTrue(harness.address.hasPrefix("0.0.0.0:"), harness.address)
        harness.stub.terminate()
        harness.stub.waitUntilExit()
        let warning = harness.startupMessages
        XCTAssertTrue(warning.contains("warning: listening on 0.0.0.0:"), warning)
        XCTAssertTrue(warning.contains("environment"), warning)
    }
}
