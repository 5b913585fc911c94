import Foundation
import GDBRemote
import GDBServer
import XCTest

/// What a hostile peer can make the session spend: time per input byte, and the target's
/// descriptors.
final class GDBSessionLimitTests: XCTestCase {
    /// A megabyte of acknowledgements once took 20 s of CPU, each input moving all those
    /// queued behind it; the session must take its input in time linear in its size (2 MiB:
    /// about 8 s before, a fraction of a second after).
    func testAFloodOfAcknowledgementsCostsLinearTime() throws {
        var gdb = ScriptedGDB()
        for _ in 0..<32 {
            gdb.sendRaw([UInt8](repeating: UInt8(ascii: "+"), count: 65536))
        }
        gdb.send("qC")
        let start = Date()
        let transcript = try gdb.play(against: FakeTarget())
        let elapsed = Date().timeIntervalSince(start)

        XCTAssertEqual(transcript.replies, ["QCp64.64"])
        XCTAssertLessThan(elapsed, 2, "2 MiB of '+' took \(elapsed) s")
    }

    func testOpenFileHandlesAreCapped() throws {
        let target = FakeReplayTarget()
        target.files["/lib/libc.so.6"] = Array("\u{7f}ELF".utf8)
        let path = HexCoding.encodeString("/lib/libc.so.6".utf8)
        let limit = GDBSession.maximumOpenFiles
        var gdb = ScriptedGDB()
        for _ in 0..<(limit + 10) {
            gdb.send("vFile:open:\(path),0,0")
        }
        gdb.send("vFile:close:3")
        gdb.send("vFile:open:\(path),0,0")
        gdb.send("vFile:pread:4,4,0")
        let transcript = try gdb.play(against: target)

        let opened = transcript.replies.prefix(limit)
        XCTAssertEqual(Array(opened), (0..<limit).map { "F" + String($0 + 3, radix: 16) })
        XCTAssertEqual(Array(transcript.replies[limit..<(limit + 10)]), Array(repeating: "F-1,18", count: 10),
                       "opens beyond the cap fail with EMFILE")
        XCTAssertEqual(Array(transcript.replies.suffix(3)), ["F0", "F" + String(limit + 3, radix: 16), "F4;\u{7f}ELF"],
                       "a close makes room again, and open files still read")
        XCTAssertEqual(target.openFileCount, 0, "the session closes what gdb left open")
    }
}
