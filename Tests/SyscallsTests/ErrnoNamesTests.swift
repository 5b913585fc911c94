import Foundation
import XCTest
@testable import Syscalls

/// Error names against the kernel's own headers, and their descriptions from the C library.
final class ErrnoNamesTests: XCTestCase {
    func testNamesMatchTheKernelHeaders() throws {
        let paths = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"]
        guard paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("no <asm-generic/errno.h> installed")
        }
        var checked = 0
        for path in paths {
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let fields = line.split(whereSeparator: \.isWhitespace)
                guard fields.count >= 3, fields[0] == "#define", let number = Int(fields[2]) else { continue }
                XCTAssertEqual(SyscallFormatter.errnoName(number), String(fields[1]), "errno \(number)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 120)
    }

    func testAliasSlotsAndUnknownNumbersHaveNoName() {
        XCTAssertNil(SyscallFormatter.errnoName(0))
        XCTAssertNil(SyscallFormatter.errnoName(41))
        XCTAssertNil(SyscallFormatter.errnoName(58))
        XCTAssertNil(SyscallFormatter.errnoName(600))
    }

    func testMessagesComeFromTheCLibrary() {
        XCTAssertEqual(SyscallFormatter.errnoMessage(2), "No such file or directory")
        XCTAssertEqual(SyscallFormatter.errnoMessage(11), "Resource temporarily unavailable")
        XCTAssertEqual(SyscallFormatter.formatResult(-600, number: 0), "-1 errno 600 (Unknown error 600)")
    }

    func testRestartCodesAreNamedAndMarked() {
        XCTAssertEqual(SyscallFormatter.errnoName(512), "ERESTARTSYS")
        XCTAssertTrue(SyscallFormatter.isRestartCode(516))
        XCTAssertFalse(SyscallFormatter.isRestartCode(4))
        XCTAssertEqual(SyscallFormatter.formatResult(-512, number: 0),
                       "? ERESTARTSYS (restarted if the handler has SA_RESTART)")
    }
}
