import Foundation
import Trace
import XCTest

final class TraceRootTests: XCTestCase {
    func testStandardPathHonoursRRDBGTraceDir() throws {
        XCTAssertEqual(try TraceRoot.standardPath(environment: ["RRDBG_TRACE_DIR": "/x/traces", "HOME": "/home/u"]), "/x/traces")
        XCTAssertEqual(try TraceRoot.standardPath(environment: ["HOME": "/home/u"]), "/home/u/.local/share/rrdbg")
        XCTAssertEqual(try TraceRoot.standardPath(environment: ["RRDBG_TRACE_DIR": "", "HOME": "/home/u"]), "/home/u/.local/share/rrdbg")
    }

    func testStandardRootIsCreated0700WithParents() throws {
        let temporary = try TemporaryDirectory()
        let root = try TraceRoot.standard(environment: ["HOME": temporary.path])
        XCTAssertEqual(root.path, temporary.path + "/.local/share/rrdbg")
        for path in [temporary.file(".local"), temporary.file(".local/share"), root.path] {
            XCTAssertEqual(permissions(of: path), 0o700, path)
        }
        let explicit = try TraceRoot.standard(environment: ["RRDBG_TRACE_DIR": temporary.file("mine"), "HOME": "/nonexistent"])
        XCTAssertEqual(explicit.path, temporary.file("mine"))
        XCTAssertEqual(permissions(of: explicit.path), 0o700)
    }

    func testTracesGetNumberedNamesAndLatestFollowsTheNewest() throws {
        let temporary = try TemporaryDirectory()
        let root = TraceRoot(path: temporary.file("root"))
        let first = try root.createTrace(forProgram: "/usr/bin/ls")
        let second = try root.createTrace(forProgram: "ls")
        let other = try root.createTrace(forProgram: "./build/my prog")
        XCTAssertEqual(first.path, root.path + "/ls-0")
        XCTAssertEqual(second.path, root.path + "/ls-1")
        XCTAssertEqual(other.path, root.path + "/my prog-0")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root.latestPath), "my prog-0")
        XCTAssertEqual(permissions(of: second.path), 0o700)
        XCTAssertEqual(permissions(of: second.filesPath), 0o700)
        XCTAssertEqual(try root.createTrace(forProgram: "/opt/.hidden").path, root.path + "/hidden-0")
        XCTAssertEqual(try root.createTrace(forProgram: "/").path, root.path + "/trace-0")
        let third = try root.createTrace(forProgram: "/bin/ls")
        XCTAssertEqual(third.path, root.path + "/ls-2")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root.latestPath), "ls-2")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: root.path).contains { $0.hasPrefix(".") })
    }

    func testNumberingContinuesAfterTheHighestExistingTrace() throws {
        let temporary = try TemporaryDirectory()
        let root = TraceRoot(path: temporary.path)
        XCTAssertEqual(mkdir(temporary.file("ls-7"), 0o700), 0)
        XCTAssertEqual(mkdir(temporary.file("ls-99999999999999999999"), 0o700), 0)
        XCTAssertEqual(try root.createTrace(forProgram: "ls").path, temporary.file("ls-8"))
    }

    func testResolveFindsLatestPathsAndNames() throws {
        let temporary = try TemporaryDirectory()
        let root = TraceRoot(path: temporary.file("root"))
        XCTAssertEqual(assertTraceError(try root.resolve(nil)), .noRecordings(root: root.path))
        XCTAssertEqual(assertTraceError(try root.resolve(nil))?.description, "no recordings yet in \(root.path)")

        let first = try root.createTrace(forProgram: "true")
        try first.writeHeader(SampleEvents.header())
        let second = try root.createTrace(forProgram: "true")
        try second.writeHeader(SampleEvents.header())

        XCTAssertEqual(try root.resolve(nil).path, second.path, "latest resolves to the real directory")
        XCTAssertEqual(try root.resolve("true-0"), first)
        XCTAssertEqual(try root.resolve(first.path), first)
        let missing = assertTraceError(try root.resolve("true-5"))
        XCTAssertEqual(missing, .noTrace(path: "true-5"))
        XCTAssertEqual(missing?.description, "no trace at true-5")
        XCTAssertNotNil(assertTraceError(try root.resolve(temporary.path)), "a directory without a header is no trace")
    }

    func testListShowsTracesWithHeadersAndMarksLatest() throws {
        let temporary = try TemporaryDirectory()
        let root = TraceRoot(path: temporary.path)
        XCTAssertEqual(try TraceRoot(path: temporary.file("absent")).list(), [])
        var names: [String] = []
        for index in 0..<11 {
            let trace = try root.createTrace(forProgram: "prog")
            var header = SampleEvents.header()
            header.eventCount = index
            try trace.writeHeader(header)
            names.append("prog-\(index)")
        }
        let broken = try root.createTrace(forProgram: "broken")
        try writeBytes(Array(#"{"formatVersion": 9}"#.utf8), to: broken.headerPath)
        _ = try root.createTrace(forProgram: "no-header-yet")
        XCTAssertEqual(mkdir(temporary.file("not-a-trace"), 0o700), 0)
        try writeBytes([1], to: temporary.file("stray-file"))
        try root.pointLatest(at: "prog-10")

        let entries = try root.list()
        XCTAssertEqual(entries.map(\.name), ["broken-0"] + names)
        XCTAssertEqual(entries.filter(\.isLatest).map(\.name), ["prog-10"])
        XCTAssertEqual(try entries.last?.header.get().eventCount, 10)
        guard case .failure(let error)? = entries.first?.header else { return XCTFail("broken header should fail") }
        XCTAssertEqual(error, .unsupportedFormatVersion(found: 9, supported: 2))
    }
}
