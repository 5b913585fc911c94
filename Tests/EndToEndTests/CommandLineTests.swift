import Foundation
import XCTest

/// The command line as users meet it: the default trace directory, `latest`, dump, info, ls,
/// permissions, warnings and errors.
final class CommandLineTests: ScratchTestCase {
    func testDefaultTraceDirectoryLatestAndListing() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let root = path("traces")
        let environment = ["RRDBG_TRACE_DIR": root]
        let first = try RRDBGCommand.run(["record", guest], environment: environment)
        XCTAssertEqual(first.status, 42, first.stderr)
        let second = try RRDBGCommand.run(["record", guest], environment: environment)
        XCTAssertEqual(second.status, 42, second.stderr)

        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/latest"), "exit42-1")
        let replayed = try RRDBGCommand.run(["replay"], environment: environment)
        XCTAssertEqual(replayed.status, 42, replayed.stderr)
        XCTAssertEqual(replayed.stdout, second.stdout)
        let byName = try RRDBGCommand.run(["replay", "exit42-0"], environment: environment)
        XCTAssertEqual(byName.stdout, first.stdout)

        let listing = try RRDBGCommand.run(["ls"], environment: environment)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertTrue(listing.stdoutText.contains("exit42-0"), listing.stdoutText)
        XCTAssertTrue(listing.stdoutText.contains("* exit42-1"), listing.stdoutText)
    }

    func testTracesArePrivate() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest])
        XCTAssertEqual(try permissions(trace), 0o700)
        XCTAssertEqual(try permissions(trace + "/header.json"), 0o600)
        XCTAssertEqual(try permissions(trace + "/events.lz4"), 0o600)
        XCTAssertEqual(try permissions(trace + "/files"), 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: trace + "/files") {
            XCTAssertEqual(try permissions(trace + "/files/" + file) & 0o077, 0, file)
        }
    }

    func testDumpShowsDecodedSyscallsAndJSON() throws {
        let guest = try GuestPrograms.build("files", in: scratch)
        let data = path("data.txt")
        try "hello\n".write(toFile: data, atomically: true, encoding: .utf8)
        let (_, trace) = try record([guest, data])

        let dump = try RRDBGCommand.run(["dump", trace])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let text = dump.stdoutText
        XCTAssertTrue(text.contains("openat(AT_FDCWD, \"\(data)\", O_RDONLY) = 3"), text)
        XCTAssertTrue(text.contains("read(3, "), text)
        XCTAssertTrue(text.contains("exited with status 0"), text)
        let firstLine = try XCTUnwrap(text.split(separator: "\n").first)
        XCTAssertTrue(firstLine.contains("exec"), String(firstLine))

        let json = try RRDBGCommand.run(["dump", "--json", trace])
        let objects = try json.stdoutText.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, text.split(separator: "\n").count)
        let exit = try XCTUnwrap(objects.last)
        XCTAssertEqual(exit["kind"] as? String, "exit")
        XCTAssertEqual(exit["status"] as? Int, 0)
        XCTAssertTrue(objects.contains { $0["name"] as? String == "openat" })
    }

    func testInfoSummarisesTheTrace() throws {
        let guest = try GuestPrograms.build("exit42", in: scratch)
        let (_, trace) = try record([guest, "some-argument"])
        let info = try RRDBGCommand.run(["info", trace])
        XCTAssertEqual(info.status, 0, info.stderr)
        for field in ["command:      \(guest) some-argument", "duration:", "events:", "size:", "compression:", "exit status:  42", "complete:     yes"] {
            XCTAssertTrue(info.stdoutText.contains(field), "missing \(field) in \(info.stdoutText)")
        }
    }

    func testUnknownSyscallWarnsAndMarksTheTrace() throws {
        let guest = try GuestPrograms.build("unknown_syscall", in: scratch)
        let (recorded, trace) = try record([guest])
        XCTAssertEqual(recorded.status, 0)
        XCTAssertTrue(recorded.stderr.contains("warning: syscall_999 (syscall 999) is not in rrdbg's syscall table"), recorded.stderr)
        let header = try String(contentsOfFile: trace + "/header.json", encoding: .utf8)
        XCTAssertTrue(header.contains("\"possiblyUnreplayable\" : true"), header)
        let info = try RRDBGCommand.run(["info", trace])
        XCTAssertTrue(info.stdoutText.contains("possibly not"), info.stdoutText)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }

    func testMissingProgramAndMissingTraceAreClearErrors() throws {
        let missing = try RRDBGCommand.run(["record", "--output", path("t"), "--", "no-such-program-here"])
        XCTAssertEqual(missing.status, 127)
        XCTAssertTrue(missing.stderr.contains("no-such-program-here: command not found"), missing.stderr)

        let noTrace = try RRDBGCommand.run(["replay", path("nothing")])
        XCTAssertEqual(noTrace.status, 124)
        XCTAssertTrue(noTrace.stderr.contains("nothing"), noTrace.stderr)

        let empty = try RRDBGCommand.run(["replay"], environment: ["RRDBG_TRACE_DIR": path("empty-root")])
        XCTAssertEqual(empty.status, 124)
        XCTAssertTrue(empty.stderr.contains("no recordings"), empty.stderr)

        let usage = try RRDBGCommand.run(["record"])
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.stderr.contains("Name the program to record"), usage.stderr)
    }

    func testProgramArgumentsThatLookLikeOptionsPassThrough() throws {
        let (recorded, _) = try assertReplayMatches(["/bin/ls", "-a", "-1", scratch.path])
        XCTAssertTrue(recorded.stdoutText.hasPrefix(".\n..\n"), recorded.stdoutText)
    }

    private func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}

/// Programs outside what rrdbg records are refused with a clear message, and the partial trace
/// says why it ended.
final class ScopeTests: ScratchTestCase {
    func testExecFromASecondThreadIsRefusedClearly() throws {
        let program = try GuestPrograms.build("thread_exec", in: scratch)
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.status, 1)
        XCTAssertTrue(
            recorded.stderr.contains("rrdbg does not record a thread other than the main one executing another program yet"),
            recorded.stderr)
        XCTAssertEqual(recorded.stdoutText, "starting a thread that will exec\n", "the program ran up to the refused call")
        let info = try RRDBGCommand.run(["info", trace])
        XCTAssertTrue(info.stdoutText.contains("ended:        refused"), info.stdoutText)
        let replayed = try RRDBGCommand.run(["replay", trace])
        XCTAssertEqual(replayed.status, 124)
        XCTAssertEqual(replayed.stdoutText, "starting a thread that will exec\n")
        XCTAssertTrue(replayed.stderr.contains("the recording stopped early (refused"), replayed.stderr)
    }
}
