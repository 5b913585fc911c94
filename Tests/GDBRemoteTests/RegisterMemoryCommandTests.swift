import GDBRemote
import XCTest

final class RegisterMemoryCommandTests: XCTestCase {
    func testRegisterPackets() {
        XCTAssertEqual(parse("g"), .readRegisters)
        XCTAssertEqual(parse("G0011aAbB"), .writeRegisters([0x00, 0x11, 0xaa, 0xbb]))
        XCTAssertEqual(parse("p10"), .readRegister(16))
        XCTAssertEqual(parse("p3b"), .readRegister(59))
        XCTAssertEqual(parse("P10=4011400000000000"), .writeRegister(16, [0x40, 0x11, 0x40, 0, 0, 0, 0, 0]))
        XCTAssertEqual(parse("P0="), .writeRegister(0, []))
    }

    func testMalformedRegisterPackets() {
        XCTAssertTrue(isUnknown(parse("gx")))
        XCTAssertTrue(isMalformed(parse("G123")))
        XCTAssertTrue(isMalformed(parse("Gzz")))
        XCTAssertTrue(isMalformed(parse("p")))
        XCTAssertTrue(isMalformed(parse("pq")))
        XCTAssertTrue(isMalformed(parse("p10000")))
        XCTAssertTrue(isMalformed(parse("P10")))
        XCTAssertTrue(isMalformed(parse("P=00")))
        XCTAssertTrue(isMalformed(parse("P1=0")))
    }

    func testMemoryRead() {
        XCTAssertEqual(parse("m555555555149,1"), .readMemory(address: 0x5555_5555_5149, length: 1))
        XCTAssertEqual(parse("m7ffff7fc1000,FFB"), .readMemory(address: 0x7fff_f7fc_1000, length: 0xffb))
    }

    func testMemoryWrite() {
        XCTAssertEqual(parse("M1000,2:cc90"), .writeMemory(address: 0x1000, data: [0xcc, 0x90]))
        XCTAssertEqual(parse("M1000,0:"), .writeMemory(address: 0x1000, data: []))
    }

    func testBinaryMemoryWriteKeepsRawBytes() {
        let payload = bytes("X401000,5:") + [0x00, 0x23, 0x3a, 0xff, 0x7d]
        XCTAssertEqual(GDBCommand.parse(payload), .writeMemory(address: 0x401000, data: [0x00, 0x23, 0x3a, 0xff, 0x7d]))
    }

    func testBinaryWriteProbe() {
        XCTAssertEqual(parse("X401000,0:"), .writeMemory(address: 0x401000, data: []))
    }

    func testBinaryWriteThroughTheDecoder() {
        let data: [UInt8] = [0x24, 0x23, 0x7d, 0x2a, 0x03]
        let inputs = decodeAll(PacketEncoder.frame(bytes("X10,5:") + data))
        guard case .packet(let payload) = inputs.first else { return XCTFail("no packet") }
        XCTAssertEqual(GDBCommand.parse(payload), .writeMemory(address: 0x10, data: data))
    }

    func testMalformedMemoryPackets() {
        XCTAssertTrue(isMalformed(parse("m")))
        XCTAssertTrue(isMalformed(parse("m1000")))
        XCTAssertTrue(isMalformed(parse("m1000,")))
        XCTAssertTrue(isMalformed(parse("m,4")))
        XCTAssertTrue(isMalformed(parse("mxyz,4")))
        XCTAssertTrue(isMalformed(parse("m10000000000000000,4")))
        XCTAssertTrue(isMalformed(parse("m10,8000000000000000")))
        XCTAssertTrue(isMalformed(parse("M1000,2:cc")))
        XCTAssertTrue(isMalformed(parse("M1000,1:zz")))
        XCTAssertTrue(isMalformed(parse("M1000,1")))
        XCTAssertTrue(isMalformed(parse("X1000,2:a")))
    }
}
