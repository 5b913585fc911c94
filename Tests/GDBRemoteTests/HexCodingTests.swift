import SeededRandom
import GDBRemote
import XCTest

final class HexCodingTests: XCTestCase {
    func testEncodeIsLowerCaseTwoDigitsPerByte() {
        XCTAssertEqual(text(HexCoding.encode([0x00, 0x0f, 0xa5, 0xff])), "000fa5ff")
        XCTAssertEqual(HexCoding.encodeString([0xde, 0xad]), "dead")
        XCTAssertEqual(HexCoding.encode([UInt8]()), [])
    }

    func testDecodeAcceptsBothCases() {
        XCTAssertEqual(HexCoding.decode("DeadBEEF"), [0xde, 0xad, 0xbe, 0xef])
        XCTAssertEqual(HexCoding.decode(""), [])
    }

    func testDecodeRejectsOddLengthAndGarbage() {
        XCTAssertNil(HexCoding.decode("abc"))
        XCTAssertNil(HexCoding.decode("zz"))
        XCTAssertNil(HexCoding.decode("0x12"))
        XCTAssertNil(HexCoding.decode(" 1"))
    }

    func testParseHex() {
        XCTAssertEqual(HexCoding.parseHex("0"), 0)
        XCTAssertEqual(HexCoding.parseHex("555555555149"), 0x5555_5555_5149)
        XCTAssertEqual(HexCoding.parseHex("FfB"), 0xffb)
        XCTAssertEqual(HexCoding.parseHex("ffffffffffffffff"), UInt64.max)
        XCTAssertEqual(HexCoding.parseHex("0000000000000000000001"), 1)
    }

    func testParseHexRejectsGarbageAndOverflow() {
        XCTAssertNil(HexCoding.parseHex(""))
        XCTAssertNil(HexCoding.parseHex("-1"))
        XCTAssertNil(HexCoding.parseHex("12g"))
        XCTAssertNil(HexCoding.parseHex("10000000000000000"))
        XCTAssertNil(HexCoding.parseHex("0x10"))
    }

    func testParseHexIntStaysWithinInt() {
        XCTAssertEqual(HexCoding.parseHexInt(Array("7fffffffffffffff".utf8)), Int.max)
        XCTAssertNil(HexCoding.parseHexInt(Array("8000000000000000".utf8)))
    }

    func testNumberIsMinimal() {
        XCTAssertEqual(HexCoding.numberString(0), "0")
        XCTAssertEqual(HexCoding.numberString(0x1a2b), "1a2b")
        XCTAssertEqual(HexCoding.numberString(UInt64.max), "ffffffffffffffff")
    }

    func testLittleEndian() {
        XCTAssertEqual(HexCoding.littleEndianBytes(0x1122_3344, count: 4), [0x44, 0x33, 0x22, 0x11])
        XCTAssertEqual(text(HexCoding.littleEndianHex(0x401000, byteCount: 8)), "0010400000000000")
        XCTAssertEqual(HexCoding.littleEndianBytes(0xff, count: 10).count, 10)
        XCTAssertEqual(HexCoding.littleEndianValue([0x44, 0x33, 0x22, 0x11]), 0x1122_3344)
        XCTAssertNil(HexCoding.littleEndianValue([UInt8](repeating: 0, count: 9)))
        XCTAssertEqual(HexCoding.bigEndianBytes(0x0102, count: 4), [0, 0, 1, 2])
    }

    func testRandomNumbersRoundTripThroughText() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5000 {
            let value = generator.next() >> (generator.next() % 64)
            var digits = HexCoding.numberString(value)
            if generator.next() % 2 == 0 {
                digits = digits.uppercased()
            }
            XCTAssertEqual(HexCoding.parseHex(digits), value)
        }
    }

    func testRandomTextNeverParsesWrongly() {
        var generator = SeededGenerator(seed: 8)
        let alphabet = Array("0123456789abcdefABCDEFxyz-+ ;,:#$".utf8)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 20)
            let input = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let isHex = !input.isEmpty && input.allSatisfy { HexCoding.digitValue($0) != nil }
            let significant = input.drop { $0 == UInt8(ascii: "0") }
            if isHex && significant.count <= 16 {
                let expected = UInt64(String(decoding: input, as: UTF8.self), radix: 16)
                XCTAssertEqual(HexCoding.parseHex(input), expected)
            } else {
                XCTAssertNil(HexCoding.parseHex(input))
            }
            if input.count % 2 == 0, let decoded = HexCoding.decode(input) {
                XCTAssertEqual(HexCoding.encode(decoded), Array(String(decoding: input, as: UTF8.self).lowercased().utf8))
            }
        }
    }
}
