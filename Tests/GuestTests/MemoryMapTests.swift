import XCTest

@testable import Guest

final class MemoryMapTests: XCTestCase {
    func testParsesFileAnonymousAndPseudoMappings() {
        let text = """
            555555554000-555555555000 r--p 00000000 fe:01 1234                       /usr/bin/my program
            7ffff7fc3000-7ffff7fc7000 r--p 00000000 00:00 0                          [vvar]
            7ffff7ff0000-7ffff7ff2000 rw-s 00002000 fe:01 99                         /tmp/shared (deleted)
            7ffff7ff3000-7ffff7ff4000 ---p 00000000 00:00 0
            7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
            """
        let mappings = MemoryMap.parse(text)
        XCTAssertEqual(mappings.count, 5)
        XCTAssertEqual(mappings[0].path, "/usr/bin/my program")
        XCTAssertEqual(mappings[0].start, 0x5555_5555_4000)
        XCTAssertEqual(mappings[0].protection, 1)
        XCTAssertTrue(mappings[0].isFileBacked)
        XCTAssertFalse(mappings[1].isFileBacked)
        XCTAssertTrue(mappings[2].shared)
        XCTAssertEqual(mappings[2].offset, 0x2000)
        XCTAssertEqual(mappings[2].protection, 3)
        XCTAssertEqual(mappings[3].path, "")
        XCTAssertEqual(mappings[3].protection, 0)
        XCTAssertEqual(mappings[4].path, "[stack]")
    }

    func testSkipsMalformedLinesAndSurvivesRandomInput() {
        XCTAssertEqual(MemoryMap.parse("garbage\nzz-yy rwxp 0 0 0\n1-2 rw 0 0 0 x\n").count, 0)
        var state: UInt64 = 42
        let alphabet = Array("0123456789abcdef- rwxps:/[]\n".utf8)
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 200) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            _ = MemoryMap.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    func testReadsOwnMaps() throws {
        let mappings = try MemoryMap.read(pid: getpid())
        XCTAssertTrue(mappings.contains { $0.path == "[stack]" })
        XCTAssertTrue(mappings.contains { $0.isFileBacked && $0.executable })
    }
}
