import SeededRandom
import GDBRemote
import XCTest

final class PacketEncoderTests: XCTestCase {
    func testFramesWithChecksum() {
        XCTAssertEqual(text(PacketEncoder.frame(bytes("OK"))), "$OK#9a")
        XCTAssertEqual(text(PacketEncoder.frame([])), "$#00")
        XCTAssertEqual(text(PacketEncoder.frame(bytes("T05thread:p1.1;"))), "$T05thread:p1.1;#\(HexCoding.encodeString([PacketEncoder.checksum(bytes("T05thread:p1.1;"))]))")
    }

    func testEscapesEverySpecialByte() {
        let framed = PacketEncoder.frame([0x24, 0x23, 0x7d, 0x2a])
        let body = Array(framed.dropFirst().dropLast(3))
        XCTAssertEqual(body, [0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a])
        XCTAssertEqual(Array(framed.suffix(2)), HexCoding.byte(PacketEncoder.checksum(body)))
    }

    func testOtherBytesAreNotEscaped() {
        let all = (0...255).map { UInt8($0) }.filter { ![0x24, 0x23, 0x7d, 0x2a].contains($0) }
        XCTAssertEqual(PacketEncoder.escape(all), all)
    }

    func testRoundTripsEveryByteValue() {
        let payload = (0...255).map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }
        XCTAssertEqual(decodeAll(PacketEncoder.frame(payload)), [.packet(payload)])
    }

    func testRoundTripsRandomPayloads() {
        var generator = SeededGenerator(seed: 1)
        var stream: [UInt8] = []
        var payloads: [[UInt8]] = []
        for _ in 0..<300 {
            let payload = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            payloads.append(payload)
            stream += PacketEncoder.frame(payload)
        }
        XCTAssertEqual(decodeAll(stream), payloads.map { .packet($0) })
    }

    func testAckModeResponses() {
        XCTAssertEqual(AckMode.acknowledged.response(to: .packet(bytes("g"))), bytes("+"))
        XCTAssertEqual(AckMode.acknowledged.response(to: .oversized), bytes("+"))
        XCTAssertEqual(AckMode.acknowledged.response(to: .badChecksum), bytes("-"))
        XCTAssertEqual(AckMode.acknowledged.response(to: .ack), [])
        XCTAssertEqual(AckMode.acknowledged.response(to: .interrupt), [])
        XCTAssertEqual(AckMode.unacknowledged.response(to: .packet(bytes("g"))), [])
        XCTAssertEqual(AckMode.unacknowledged.response(to: .badChecksum), [])
    }
}
