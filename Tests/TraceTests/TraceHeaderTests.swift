import Foundation
import Trace
import XCTest

final class TraceHeaderTests: XCTestCase {
    func testMinimalHeaderRoundTrips() throws {
        let header = SampleEvents.header()
        XCTAssertEqual(try TraceHeader.decode(json: header.encodedJSON(), path: "h"), header)
    }

    func testFullHeaderRoundTrips() throws {
        for status in [ExitEvent.Status.exited(3), .killed(signal: 11, coreDumped: true), .killed(signal: 9, coreDumped: false)] {
            var header = SampleEvents.header()
            header.endTime = 1_700_000_123.5
            header.complete = true
            header.endReason = "exited"
            header.exitStatus = status
            header.eventCount = 12345
            header.bytesRecorded = 1 << 40
            header.warnings = ["unknown syscall 451", "asynchronous signal"]
            header.possiblyUnreplayable = true
            XCTAssertEqual(try TraceHeader.decode(json: header.encodedJSON(), path: "h"), header)
        }
    }

    func testNonFiniteTimesDoNotMakeTheHeaderUnwritableButAreInvalidFields() throws {
        for (start, end) in [(-Double.infinity, nil), (.nan, nil), (1e300, nil), (1_700_000_000, Double.infinity)] {
            var header = SampleEvents.header()
            header.startTime = start
            header.endTime = end
            let json = try header.encodedJSON()
            let field = end == nil ? "startTime" : "endTime"
            XCTAssertThrowsError(try TraceHeader.decode(json: json, path: "h")) { error in
                XCTAssertTrue("\(error)".contains("field \"\(field)\" is invalid"), "\(error)")
            }
        }
    }

    func testExitSignalsOutsideTheSignalNumbersAreInvalid() throws {
        var header = SampleEvents.header()
        header.exitStatus = .killed(signal: .max, coreDumped: false)
        XCTAssertThrowsError(try TraceHeader.decode(json: header.encodedJSON(), path: "h")) { error in
            XCTAssertTrue("\(error)".contains("field \"exitStatus.signal\" is invalid"), "\(error)")
        }
    }

    func testJSONIsPrettyAndReadable() throws {
        var header = SampleEvents.header()
        header.exitStatus = .killed(signal: 6, coreDumped: false)
        let text = String(decoding: try header.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.contains("\n  \"formatVersion\" : \(TraceHeader.currentFormatVersion)"), text)
        XCTAssertTrue(text.contains("\"command\" : [\n    \"/bin/true\""), text)
        XCTAssertTrue(text.hasSuffix("}\n"))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let status = object?["exitStatus"] as? [String: Any]
        XCTAssertEqual(status?["signal"] as? Int, 6)
        XCTAssertEqual(status?["coreDumped"] as? Bool, false)
        var exited = header
        exited.exitStatus = .exited(0)
        let exitedObject = try JSONSerialization.jsonObject(with: Data(exited.encodedJSON())) as? [String: Any]
        XCTAssertEqual(exitedObject?["exitStatus"] as? [String: Int], ["exited": 0])
    }

    func testNewerFormatVersionIsRefusedWithUpgradeHint() throws {
        let json = Array(#"{"formatVersion": 7, "somethingNew": true}"#.utf8)
        let error = assertTraceError(try TraceHeader.decode(json: json, path: "/t/header.json"))
        XCTAssertEqual(error, .unsupportedFormatVersion(found: 7, supported: 2))
        XCTAssertEqual(
            error?.description,
            "trace format version 7 is newer than this rrdbg supports (2); upgrade rrdbg to replay it")
    }

    func testMalformedHeadersNameThePathAndTheProblem() {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"{"rrdbgVersion": "1"}"#, "formatVersion"),
            (#"{"formatVersion": 1}"#, "is missing"),
            (#"{"formatVersion": 0}"#, "invalid format version 0"),
            (#"{"formatVersion": "one"}"#, "wrong type"),
        ]
        for (json, expected) in cases {
            let error = assertTraceError(try TraceHeader.decode(json: Array(json.utf8), path: "/t/header.json"))
            let text = error?.description ?? ""
            XCTAssertTrue(text.contains("/t/header.json"), text)
            XCTAssertTrue(text.contains(expected), "\(json): \(text)")
        }
    }

    func testInvalidExitStatusIsRejected() throws {
        var object = try JSONSerialization.jsonObject(with: Data(SampleEvents.header().encodedJSON())) as? [String: Any] ?? [:]
        object["exitStatus"] = ["unknown": 1]
        let json = try JSONSerialization.data(withJSONObject: object)
        let error = assertTraceError(try TraceHeader.decode(json: Array(json), path: "h"))
        XCTAssertEqual(error?.description.contains("exitStatus"), true, "\(String(describing: error))")
    }

    func testHeaderFileRoundTripAndMissingHeader() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let missing = assertTraceError(try directory.readHeader())
        XCTAssertEqual(missing, .missingHeader(path: directory.path))
        XCTAssertEqual(missing?.description.contains(directory.path), true)
        let header = SampleEvents.header()
        try directory.writeHeader(header)
        XCTAssertEqual(try directory.readHeader(), header)
        XCTAssertEqual(permissions(of: directory.headerPath), 0o600)
        var updated = header
        updated.complete = true
        try directory.writeHeader(updated)
        XCTAssertEqual(try directory.readHeader(), updated)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["files", "header.json"])
    }
}
