import GDBRemote
import XCTest

/// A connection as gdb 13 opens it, through framing and parsing together, the way the stub
/// will see it.
final class SessionSequenceTests: XCTestCase {
    func testGDB13ConnectionSequence() {
        let packets = [
            "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;"
                + "vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386",
            "vMustReplyEmpty", "QStartNoAckMode", "!", "Hgp0.0", "qXfer:features:read:target.xml:0,ffb",
            "qXfer:features:read:64bit-core.xml:0,ffb", "qTStatus", "?", "qfThreadInfo", "qsThreadInfo",
            "qAttached:1a2b", "Hc-1", "qC", "qOffsets", "g", "qXfer:auxv:read::0,ffb", "qSymbol::",
            "Z0,555555555149,1", "vCont;c:p1a2b.1a2b", "bc", "bs", "vCont;s:p1.1;c", "vRun;;", "D;1a2b",
        ]
        var stream: [UInt8] = [UInt8(ascii: "+")]
        for packet in packets {
            stream += PacketEncoder.frame(Array(packet.utf8)) + [UInt8(ascii: "+")]
        }
        let commands = decodeAll(stream).compactMap { input -> GDBCommand? in
            guard case .packet(let payload) = input else { return nil }
            return GDBCommand.parse(payload)
        }
        XCTAssertEqual(commands.count, packets.count)
        XCTAssertEqual(commands.filter(isUnknown).count, 1)
        XCTAssertFalse(commands.contains(where: isMalformed))
        XCTAssertEqual(commands[1], .mustReplyEmpty)
        XCTAssertEqual(commands[2], .startNoAckMode)
        XCTAssertEqual(commands[4], .setThread(.general, .any))
        XCTAssertEqual(commands[5], .xferRead(object: "features", annex: "target.xml", offset: 0, length: 0xffb))
        XCTAssertEqual(commands[7], .unknown("qTStatus"))
        XCTAssertEqual(commands[18], .insertBreakpoint(.software, address: 0x5555_5555_5149, kind: 1))
        XCTAssertEqual(commands[20], .reverseContinue)
    }
}
