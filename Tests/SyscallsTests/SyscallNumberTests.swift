import Foundation
import XCTest
@testable import Syscalls

/// The calls' numbers and names, checked against the system's own kernel header so that a
/// typo in either can't slip in.
final class SyscallNumberTests: XCTestCase {
    /// `__NR_name number` pairs from the installed `<asm/unistd_64.h>`.
    private func headerNumbers() throws -> [String: Int] {
        let candidates = ["/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("no <asm/unistd_64.h> installed")
        }
        var numbers: [String: Int] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "#define", fields[1].hasPrefix("__NR_"),
                  let number = Int(fields[2]) else { continue }
            numbers[String(fields[1].dropFirst("__NR_".count))] = number
        }
        return numbers
    }

    func testEveryCallInTheHeaderHasItsNumberAndName() throws {
        let header = try headerNumbers()
        XCTAssertGreaterThan(header.count, 300, "the header parsed to too few calls")
        for (name, number) in header {
            XCTAssertEqual(Syscall(rawValue: number)?.name, name, "call \(number)")
            XCTAssertEqual(Syscall(named: name)?.rawValue, number, name)
        }
    }

    func testEveryCaseUpToTheHeadersHighestIsInTheHeader() throws {
        let header = try headerNumbers()
        let highestInHeader = header.values.max() ?? 0
        for call in Syscall.allCases where call.rawValue <= highestInHeader {
            XCTAssertEqual(header[call.name], call.rawValue, "\(call.name) is not in the header as \(call.rawValue)")
        }
    }

    func testEveryTableRowMatchesTheHeader() throws {
        let header = try headerNumbers()
        for descriptor in SyscallTable.groups.joined() {
            guard let number = header[descriptor.name] else {
                XCTAssertGreaterThan(descriptor.number, header.values.max() ?? 0, "\(descriptor.name) is not in the header")
                continue
            }
            XCTAssertEqual(descriptor.number, number, descriptor.name)
        }
    }

    func testNamesAreUniqueAndNumbersAscendInTheirTwoRanges() {
        XCTAssertEqual(Set(Syscall.allCases.map(\.name)).count, Syscall.allCases.count)
        let numbers = Syscall.allCases.map(\.rawValue)
        XCTAssertEqual(numbers, numbers.sorted())
        XCTAssertEqual(numbers.filter { $0 <= 334 }, Array(0...334))
        XCTAssertEqual(numbers.filter { $0 > 334 }, Array(424...462))
    }

    func testNewerCallsThanOldHeadersKnow() {
        XCTAssertEqual(SyscallTable.name(of: 452), "fchmodat2")
        XCTAssertEqual(SyscallTable.name(of: 462), "mseal")
        XCTAssertEqual(Syscall.allCases.last, .mseal)
    }

    func testUnknownNumbersGetPlaceholderNames() {
        XCTAssertEqual(SyscallTable.name(of: 335), "syscall_335")
        XCTAssertEqual(SyscallTable.name(of: 423), "syscall_423")
        XCTAssertEqual(SyscallTable.name(of: 463), "syscall_463")
        XCTAssertEqual(SyscallTable.name(of: 999), "syscall_999")
        XCTAssertEqual(SyscallTable.name(of: -1), "syscall_-1")
        XCTAssertNil(Syscall(rawValue: 335))
        XCTAssertNil(SyscallTable.descriptor(for: 999))
        XCTAssertNil(Syscall(named: "no_such_call"))
    }
}
