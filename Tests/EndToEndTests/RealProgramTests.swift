import Foundation
import XCTest

/// Real programs from the system, recorded and replayed byte for byte.
final class RealProgramTests: ScratchTestCase {
    func testLsLongListing() throws {
        let (recorded, _) = try assertReplayMatches(["/bin/ls", "-l", "/"])
        XCTAssertTrue(recorded.stdoutText.contains("usr"))
    }

    func testCat() throws {
        let file = path("poem.txt")
        try String(repeating: "the quick brown fox\n", count: 500).write(toFile: file, atomically: true, encoding: .utf8)
        let (recorded, _) = try assertReplayMatches(["/bin/cat", file])
        XCTAssertEqual(recorded.stdout.count, 20 * 500)
    }

    func testPythonRandomAndTime() throws {
        let python = "/usr/bin/python3"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: python), "no \(python)")
        let program = "import random,time; print(random.random(), time.time())"
        let (first, _) = try record([python, "-c", program], trace: "first")
        let (second, _) = try record([python, "-c", program], trace: "second")
        XCTAssertNotEqual(first.stdout, second.stdout, "natively, python prints different values each run")
        try assertReplayMatches([python, "-c", program])
    }
}
