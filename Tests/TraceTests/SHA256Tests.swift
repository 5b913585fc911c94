import SeededRandom
import Trace
import XCTest

final class SHA256Tests: XCTestCase {
    func testEmptyMessage() {
        XCTAssertEqual(
            SHA256.hexDigest(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(
            SHA256.hexDigest(of: Array("abc".utf8)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testTwoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(
            SHA256.hexDigest(of: Array(message.utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testOneMillionA() {
        var hasher = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 {
            hasher.update(thousand)
        }
        XCTAssertEqual(hasher.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Splitting the input at any point must not change the digest (exercises the carry-over
    /// of partial blocks and padding that crosses a block boundary).
    func testPiecewiseUpdatesMatchOneShot() {
        var generator = SeededGenerator(seed: 256)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let message = generator.bytes(length)
            let expected = SHA256.hexDigest(of: message)
            for split in Set([0, length / 3, length / 2, length]) {
                var hasher = SHA256()
                hasher.update(Array(message[..<split]))
                for byte in message[split...] {
                    hasher.update([byte])
                }
                XCTAssertEqual(hasher.finalizeHex(), expected, "length \(length), split \(split)")
            }
        }
    }

    /// A hasher is a value: a copy taken part-way goes on independently of the original.
    func testCopyHashesIndependently() {
        var original = SHA256()
        original.update(Array("ab".utf8))
        var copy = original
        copy.update(Array("c".utf8))
        original.update(Array("x".utf8))
        XCTAssertEqual(copy.finalizeHex(), SHA256.hexDigest(of: Array("abc".utf8)))
        XCTAssertEqual(original.finalizeHex(), SHA256.hexDigest(of: Array("abx".utf8)))
    }

    func testDigestIs32Bytes() {
        var hasher = SHA256()
        hasher.update(Array("abc".utf8))
        XCTAssertEqual(hasher.finalize().count, SHA256.digestByteCount)
    }
}
