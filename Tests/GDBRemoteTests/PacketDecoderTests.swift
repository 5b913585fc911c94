import GDBRemote
import XCTest

final class PacketDecoderTests: XCTestCase {
    func testDecodesOnePacket() {
        XCTAssertEqual(decodeAll(bytes("$g#67")), [.packet(bytes("g"))])
    }

    func testChecksumDigitsAreCaseInsensitive() {
        XCTAssertEqual(decodeAll(bytes("$qC#b4$qC#B4")), [.packet(bytes("qC")), .packet(bytes("qC"))])
    }

    func testEmptyPacket() {
        XCTAssertEqual(decodeAll(bytes("$#00")), [.packet([])])
    }

    func testAcksNacksAndInterrupts() {
        let stream: [UInt8] = bytes("+-") + [0x03] + bytes("$?#3f+") + [0x03]
        XCTAssertEqual(decodeAll(stream), [.ack, .nack, .interrupt, .packet(bytes("?")), .ack, .interrupt])
    }

    func testInterruptByteInsidePacketIsData() {
        let frame = PacketEncoder.frame([UInt8(ascii: "X"), 0x03, 0x03])
        XCTAssertEqual(decodeAll([0x03] + frame + [0x03]), [.interrupt, .packet([UInt8(ascii: "X"), 0x03, 0x03]), .interrupt])
    }

    func testBadChecksum() {
        XCTAssertEqual(decodeAll(bytes("$g#68$g#67")), [.badChecksum, .packet(bytes("g"))])
    }

    func testNonHexChecksumIsBad() {
        XCTAssertEqual(decodeAll(bytes("$g#zz$g#6z$g#67")), [.badChecksum, .badChecksum, .packet(bytes("g"))])
    }

    func testUnescapes() {
        // "}\x03" is '#', "}\x04" is '$', "}]" is '}', "}\x0a" is '*'.
        let body: [UInt8] = [UInt8(ascii: "X"), 0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a]
        let frame = [UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + HexCoding.byte(PacketEncoder.checksum(body))
        XCTAssertEqual(decodeAll(frame), [.packet([UInt8(ascii: "X"), 0x23, 0x24, 0x7d, 0x2a])])
    }

    func testRunLengthExpansion() {
        // "0* " is '0' plus (32 - 29) = 3 more.
        let body = bytes("m0* ")
        let frame = bytes("$") + body + bytes("#") + HexCoding.byte(PacketEncoder.checksum(body))
        XCTAssertEqual(decodeAll(frame), [.packet(bytes("m0000"))])
    }

    func testRunLengthWithNothingToRepeatIsIgnored() {
        let body = bytes("* g")
        let frame = bytes("$") + body + bytes("#") + HexCoding.byte(PacketEncoder.checksum(body))
        XCTAssertEqual(decodeAll(frame), [.packet(bytes("g"))])
    }

    func testGarbageBetweenPacketsIsSkipped() {
        let stream = bytes("hello#12") + [0x00, 0xff] + bytes("$g#67 \r\n") + bytes("}}$qC#b4")
        XCTAssertEqual(decodeAll(stream), [.packet(bytes("g")), .packet(bytes("qC"))])
    }

    func testDollarInsidePacketRestarts() {
        XCTAssertEqual(decodeAll(bytes("$m10,4$g#67")), [.packet(bytes("g"))])
        XCTAssertEqual(decodeAll(bytes("$m10,4#$g#67")), [.packet(bytes("g"))])
        XCTAssertEqual(decodeAll(bytes("$m10,4#1$g#67")), [.packet(bytes("g"))])
    }

    func testByteByByteFeeding() {
        let stream = PacketEncoder.frame(bytes("vCont;c:p1a2b.1a2b")) + bytes("+") + [0x03]
            + PacketEncoder.frame([0x24, 0x23, 0x7d, 0x2a, 0x00])
        var decoder = PacketDecoder()
        var inputs: [DecodedInput] = []
        for byte in stream {
            decoder.feed([byte])
            while let input = decoder.next() {
                inputs.append(input)
            }
        }
        XCTAssertEqual(inputs, [.packet(bytes("vCont;c:p1a2b.1a2b")), .ack, .interrupt, .packet([0x24, 0x23, 0x7d, 0x2a, 0x00])])
        XCTAssertEqual(decoder.unconsumedByteCount, 0)
    }

    func testPartialPacketWaitsForTheRest() {
        var decoder = PacketDecoder()
        decoder.feed(bytes("$qSupp"))
        XCTAssertNil(decoder.next())
        decoder.feed(bytes("orted#37"))
        XCTAssertEqual(decoder.next(), .packet(bytes("qSupported")))
        XCTAssertNil(decoder.next())
    }

    func testFeedingWhileInputsRemainKeepsOrder() {
        var decoder = PacketDecoder()
        decoder.feed(bytes("+$g#67"))
        XCTAssertEqual(decoder.next(), .ack)
        decoder.feed(bytes("-"))
        XCTAssertEqual(decoder.next(), .packet(bytes("g")))
        XCTAssertEqual(decoder.next(), .nack)
        XCTAssertNil(decoder.next())
    }

    func testOversizedPacketIsDroppedAndStreamResynchronises() {
        let big = PacketEncoder.frame([UInt8](repeating: UInt8(ascii: "a"), count: 100))
        let stream = big + PacketEncoder.frame(bytes("g"))
        XCTAssertEqual(decodeAll(stream, maximumPayload: 64), [.oversized, .packet(bytes("g"))])
    }

    func testPacketExactlyAtTheLimitIsAccepted() {
        let payload = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
        XCTAssertEqual(decodeAll(PacketEncoder.frame(payload), maximumPayload: 64), [.packet(payload)])
    }

    func testRunLengthCannotExceedTheLimit() {
        var body = bytes("a")
        for _ in 0..<10 {
            body += bytes("*~")
        }
        let frame = bytes("$") + body + bytes("#") + HexCoding.byte(PacketEncoder.checksum(body))
        XCTAssertEqual(decodeAll(frame, maximumPayload: 500), [.oversized])
    }

    func testUnterminatedHugePacketDoesNotAccumulate() {
        var decoder = PacketDecoder(maximumPayload: 1024)
        decoder.feed(bytes("$"))
        for _ in 0..<1000 {
            decoder.feed([UInt8](repeating: UInt8(ascii: "x"), count: 1000))
            XCTAssertNil(decoder.next())
            XCTAssertEqual(decoder.unconsumedByteCount, 0)
        }
        decoder.feed(bytes("#00$g#67"))
        XCTAssertEqual(decoder.next(), .oversized)
        XCTAssertEqual(decoder.next(), .packet(bytes("g")))
    }
}
