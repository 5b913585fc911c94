import Foundation
import Trace
import XCTest

/// A trace may come from anyone, so its files are never followed through a symlink nor waited
/// on: a planted symlink must not make rrdbg serve or map another file of this machine, and a
/// FIFO must not hang any command. Each refusal names the file.
final class UntrustedTraceFileTests: ScratchTestCase {
    func testASymlinkedLibraryIsNotServedToGDB() throws {
        let (trace, library, archived) = try recordWithSymlinkedLibrary()
        let harness = try GDBHarness(trace: trace)
        let copy = path("fetched")
        let output = try harness.gdb(["remote get \(library) \(copy)"], executable: nil)
        _ = harness.waitForStub()
        let fetched = (try? String(contentsOfFile: copy, encoding: .utf8)) ?? ""
        XCTAssertFalse(fetched.contains("top secret"), output)
        XCTAssertTrue(harness.laterErrors.contains("refusing to serve \(archived) to gdb: it is a symbolic link"), output)
    }

    func testASymlinkedLibraryIsNotMapped() throws {
        let (trace, _, archived) = try recordWithSymlinkedLibrary()
        let replayed = try RRDBGCommand.run(["replay", trace], timeout: 60)
        XCTAssertEqual(replayed.status, 124, replayed.stderr)
        XCTAssertTrue(
            replayed.stderr.contains("refusing to read \(archived) from the trace: it is a symbolic link"), replayed.stderr)
    }

    func testASymlinkedExecutableIsNotExecuted() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        let hash = try firstExec(trace).executableHash
        let archived = trace + "/files/" + hash
        try FileManager.default.removeItem(atPath: archived)
        try FileManager.default.createSymbolicLink(atPath: archived, withDestinationPath: "/bin/true")
        let replayed = try RRDBGCommand.run(["replay", trace], timeout: 60)
        XCTAssertEqual(replayed.status, 124, replayed.stderr)
        XCTAssertTrue(replayed.stderr.contains("refusing to read \(archived)"), replayed.stderr)
    }

    func testFIFOsInATraceHangNoCommand() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        for name in ["header.json", "events.lz4"] {
            let (_, trace) = try record([guest], trace: "trace-\(name)")
            try FileManager.default.removeItem(atPath: trace + "/" + name)
            XCTAssertEqual(mkfifo(trace + "/" + name, 0o600), 0)
            // Each command that reads the file refuses it; none waits on it.
            let readers = [["dump"], ["replay"], ["timeline", "-o", path("\(name).html")], ["ps"]]
            let others = [["info"], ["pack", "-o", path("\(name).rrdbg")]]
            for command in readers + others {
                let result = try RRDBGCommand.run(command + [trace], timeout: 20)
                let context = "\(command) with a FIFO \(name): \(result.stderr)"
                guard result.status != 0 || others.contains(command) && name != "header.json" else {
                    XCTFail(context)
                    continue
                }
                if result.status != 0 {
                    XCTAssertTrue(result.stderr.hasPrefix("rrdbg: "), context)
                    XCTAssertTrue(result.stderr.contains("\(name) from the trace: it is a FIFO, not a regular file"), context)
                }
            }
        }
        let root = path("root")
        try FileManager.default.createDirectory(atPath: root + "/fifo-0", withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(root + "/fifo-0/header.json", 0o600), 0)
        let listing = try RRDBGCommand.run(["ls"], environment: ["RRDBG_TRACE_DIR": root], timeout: 20)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertTrue(listing.stdoutText.contains("it is a FIFO, not a regular file"), listing.stdoutText)
    }

    func testAFIFOGivenAsABundleHangsNothing() throws {
        let fifo = path("trace.rrdbg")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let result = try RRDBGCommand.run(["info", fifo], environment: ["XDG_CACHE_HOME": path("cache")], timeout: 20)
        XCTAssertEqual(result.status, 124, result.stderr)
        XCTAssertTrue(result.stderr.contains("not a regular file"), result.stderr)
    }

    /// Records a dynamically linked program, then replaces the trace's copy of libc with a
    /// symlink to a file holding "top secret". Returns the trace, libc's recorded path and the
    /// path of its archived copy.
    private func recordWithSymlinkedLibrary() throws -> (trace: String, library: String, archived: String) {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        let reader = try TraceReader(directory: TraceDirectory.open(at: trace))
        var libc: MappedFile?
        while let event = try reader.next(), libc == nil {
            if case .syscall(let call) = event, let file = call.mappedFile, file.path.contains("libc.so") { libc = file }
        }
        let library = try XCTUnwrap(libc, "the program maps no libc")
        let secret = path("secret")
        try "top secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let archived = trace + "/files/" + library.fileHash
        try FileManager.default.removeItem(atPath: archived)
        try FileManager.default.createSymbolicLink(atPath: archived, withDestinationPath: secret)
        return (trace, library.path, archived)
    }

    private func firstExec(_ trace: String) throws -> ExecEvent {
        let reader = try TraceReader(directory: TraceDirectory.open(at: trace))
        guard case .exec(let exec)? = try reader.next() else { throw XCTSkip("the trace does not start with exec") }
        return exec
    }
}
