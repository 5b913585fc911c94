import ELF
import Foundation
import XCTest

@testable import Unwind

/// The byte-level parsers behind the unwinder and symbolizer: `.eh_frame_hdr`, ELF program
/// headers and addr2line's output.
final class UnwindTablesTests: XCTestCase {
    private func bytes(_ value: UInt64, _ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    func testEhFrameHeaderWithTheEncodingsGNULdWrites() throws {
        // version 1; eh_frame_ptr pcrel|sdata4; fde_count udata4; table datarel|sdata4.
        let header: [UInt8] = [1, 0x1b, 0x03, 0x3b] + bytes(UInt64(UInt32(bitPattern: -0x40)), 4) + bytes(5, 4)
        let parsed = try EhFrameHeader(bytes: header, address: 0x1000)
        XCTAssertEqual(parsed.address, 0x1000)
        XCTAssertEqual(parsed.ehFrameAddress, 0x1004 - 0x40, "pc-relative to the field itself")
        XCTAssertEqual(parsed.entryCount, 5)
        XCTAssertEqual(parsed.tableAddress, 0x100c)
        XCTAssertEqual(parsed.tableLengthInWords, 5)
    }

    func testEhFrameHeaderWithAbsoluteAndDataRelativeValues() throws {
        let header: [UInt8] = [1, 0x00, 0x3b, 0x3b] + bytes(0x7fff_0000_2000, 8) + bytes(7, 4)
        let parsed = try EhFrameHeader(bytes: header, address: 0x5000)
        XCTAssertEqual(parsed.ehFrameAddress, 0x7fff_0000_2000)
        XCTAssertEqual(parsed.entryCount, 0x5000 + 7, "datarel counts from the section start")
        XCTAssertEqual(parsed.tableAddress, 0x5000 + 16)
    }

    func testEhFrameHeadersLibunwindCannotSearchAreRejected() {
        let count = bytes(1, 4)
        let cases: [(bytes: [UInt8], message: String)] = [
            ([2, 0x1b, 0x03, 0x3b] + count + count, "version 2"),
            ([1, 0x1b, 0xff, 0x3b] + count, "no search table"),
            ([1, 0x1b, 0x03, 0x03] + count + count, "table encoding 0x3"),
            ([1, 0x9b, 0x03, 0x3b] + count + count, "indirect"),
            ([1, 0x01, 0x03, 0x3b] + count + count, "value format 0x1"),
            ([1, 0x1b, 0x03, 0x3b, 0, 0], "truncated"),
        ]
        for (bytes, message) in cases {
            XCTAssertThrowsError(try EhFrameHeader(bytes: bytes, address: 0x1000)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }

    func testElfLayoutAndEhFrameHeaderOfARealExecutable() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-elf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (flags, type, linkedBase) in [([String](), ElfLayout.typeShared, UInt64(0)), (["-no-pie"], ElfLayout.typeExecutable, 0x400000)] {
            let path = try UnwindTestGuests.build("blocked_read", in: scratch, flags: flags)
            let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let layout = try ElfLayout(named: path) { offset, count in Array(file[Int(offset)..<Int(offset) + count]) }
            XCTAssertEqual(layout.type, type)
            XCTAssertEqual(layout.linkedBase, linkedBase)
            // As if loaded at 0x10000 above where it was linked.
            let loadAddress = linkedBase + 0x10000
            XCTAssertTrue(layout.loadedRanges(loadAddress: loadAddress).allSatisfy { $0.lowerBound >= loadAddress })
            let section = try XCTUnwrap(layout.ehFrameHeaderAddress(loadAddress: loadAddress))
            let fileOffset = Int(section.address - loadAddress)  // these small files map offset = vaddr - linkedBase
            let header = try EhFrameHeader(bytes: Array(file[fileOffset..<fileOffset + 20]), address: section.address)
            XCTAssertGreaterThan(header.entryCount, 3, "f1, f2, f3, main and more")
            XCTAssertEqual(header.tableAddress + header.entryCount * 8, section.address + section.size, "the table fills the section")
        }
    }

    func testNonElfBytesAreRejected() {
        XCTAssertThrowsError(try ElfLayout(named: "junk") { _, count in [UInt8](repeating: 0x41, count: count) }) { error in
            XCTAssertEqual("\(error)", "junk is not an x86-64 ELF64 image")
        }
    }

    func testAddr2lineOutputWithInliningAndMissingInformation() throws {
        let text = """
            0x0000000000001139
            f3
            /src/blocked_read.c:9
            0x00000000000011a0
            futex_wait
            ./nptl/futex-internal.h:146 (discriminator 2)
            __lll_lock_wait
            ./nptl/lowlevellock.c:49
            0x0000000000002000
            stripped_function
            ??:0
            0x0000000000003000
            ??
            ??:?
            0x0000000000004000
            __restore_rt
            libc_sigaction.c:?
            0x0000000000004001
            __sigaction
            :?

            """
        let records = try Addr2lineOutput.parse(text, addressCount: 6)
        XCTAssertEqual(records[0], [SourceLocation(function: "f3", file: "/src/blocked_read.c", line: 9)])
        XCTAssertEqual(records[1], [
            SourceLocation(function: "futex_wait", file: "./nptl/futex-internal.h", line: 146),
            SourceLocation(function: "__lll_lock_wait", file: "./nptl/lowlevellock.c", line: 49),
        ])
        XCTAssertEqual(records[2], [SourceLocation(function: "stripped_function")])
        XCTAssertEqual(records[3], [.unknown])
        XCTAssertEqual(records[4], [SourceLocation(function: "__restore_rt", file: "libc_sigaction.c")])
        XCTAssertEqual(records[5], [SourceLocation(function: "__sigaction")])
        XCTAssertThrowsError(try Addr2lineOutput.parse(text, addressCount: 5))
    }

    func testSymbolizedFramesDescribeInlinedCallsAndMissingModules() {
        let frame = UnwoundFrame(ip: 0x1234, stackPointer: 0x7000, ipIsReturnAddress: true, moduleBase: nil)
        XCTAssertEqual(frame.lookupAddress, 0x1233)
        XCTAssertNil(frame.moduleOffset)
        let inlined = SymbolizedFrame(frame: frame, modulePath: "/lib/x.so", locations: [
            SourceLocation(function: "g", file: "a.c", line: 4), SourceLocation(function: "f", file: "a.c", line: 9),
        ])
        XCTAssertEqual(inlined.function, "f")
        XCTAssertEqual(inlined.description, "g at a.c:4, inlined in f at a.c:9")
        let symbolized = Symbolizer().symbolize([frame], modules: [:])
        XCTAssertEqual(symbolized[0].function, "??")
        XCTAssertEqual(symbolized[0].problem, "0x1234 is in no ELF image")
    }

    func testSymbolizerReportsAMissingFile() {
        let frame = UnwoundFrame(ip: 0x401000, stackPointer: 0x7000, ipIsReturnAddress: false, moduleBase: 0x400000)
        let symbolized = Symbolizer().symbolize([frame], modules: [0x400000: "/nonexistent/program"])
        XCTAssertEqual(symbolized[0].locations, [.unknown])
        XCTAssertTrue(symbolized[0].problem?.contains("/nonexistent/program") ?? false, "\(symbolized[0].problem ?? "nil")")
    }
}
