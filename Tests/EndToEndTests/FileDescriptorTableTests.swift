import Guest
import Replayer
import Syscalls
import Trace
import X86Registers
import XCTest

/// The hang report's pure logic, without a guest: the descriptor table built from recorded
/// calls, and blocked calls shown with their descriptors described.
///
/// These live with the end-to-end tests because that is the test target that can import
/// Replayer, where the hang report is built.
final class FileDescriptorTableTests: XCTestCase {
    /// A completed call; `writes` are the bytes the kernel stored, as the trace records them.
    private func call(_ syscall: Syscall, _ arguments: [UInt64], result: Int64, writes: [MemoryWrite] = [], strings: [Int: [UInt8]] = [:]) -> SyscallEvent {
        var registers = RegisterFile.zero
        registers[.origRax] = UInt64(syscall.rawValue)
        for (name, value) in zip(RegisterName.syscallArguments, arguments) { registers[name] = value }
        return SyscallEvent(tid: 1, registers: registers, result: result, memoryWrites: writes, strings: strings)
    }

    /// Two little-endian ints at `address`, as `pipe` and `socketpair` store their descriptors.
    private func fdPair(_ first: Int32, _ second: Int32, at address: UInt64) -> MemoryWrite {
        let bytes = [first, second].flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * $0)) } }
        return MemoryWrite(address: address, bytes: bytes)
    }

    private func tableWithPipe() -> FileDescriptorTable {
        var table = FileDescriptorTable()
        table.apply(call(.pipe2, [0x7000, 0], result: 0, writes: [fdPair(3, 4, at: 0x7000)]))
        return table
    }

    func testStartsWithTheStandardStreamsAndNothingElse() {
        let table = FileDescriptorTable()
        XCTAssertEqual(table.describe(0), "standard input")
        XCTAssertEqual(table.describe(2), "standard error")
        XCTAssertNil(table.describe(3))
    }

    func testPipeEndsNameEachOtherUntilOneIsClosed() {
        var table = tableWithPipe()
        XCTAssertEqual(table.describe(3), "pipe (read end; write end open as fd 4)")
        XCTAssertEqual(table.describe(4), "pipe (write end; read end open as fd 3)")
        table.apply(call(.dup2, [4, 10], result: 10))
        XCTAssertEqual(table.describe(3), "pipe (read end; write end open as fd 4, 10)")
        table.apply(call(.close, [4], result: 0))
        table.apply(call(.close, [10], result: 0))
        XCTAssertEqual(table.describe(3), "pipe (read end; no write end open in the program)")
        XCTAssertNil(table.describe(4))
    }

    func testThePipeWriteInsideALargerRecordedWriteIsFound() {
        var table = FileDescriptorTable()
        let write = MemoryWrite(address: 0x6ff8, bytes: [UInt8](repeating: 0xee, count: 8) + fdPair(5, 6, at: 0).bytes)
        table.apply(call(.pipe2, [0x7000, 0], result: 0, writes: [write]))
        XCTAssertEqual(table.describe(5), "pipe (read end; write end open as fd 6)")
    }

    func testFailedCallsChangeNothing() {
        var table = tableWithPipe()
        table.apply(call(.close, [3], result: -9))
        table.apply(call(.openat, [UInt64(bitPattern: -100), 0x1000, 0], result: -2, strings: [1: Array("/missing".utf8)]))
        XCTAssertEqual(table.describe(3), "pipe (read end; write end open as fd 4)")
    }

    func testOpenedFilesSocketsAndReusedNumbers() {
        var table = tableWithPipe()
        table.apply(call(.close, [3], result: 0))
        table.apply(call(.openat, [UInt64(bitPattern: -100), 0x1000, 0], result: 3, strings: [1: Array("/tmp/fifo".utf8)]))
        XCTAssertEqual(table.describe(3), "file \"/tmp/fifo\"")
        table.apply(call(.socket, [2, 0x80001, 0], result: 7))
        XCTAssertEqual(table.describe(7), "socket (AF_INET, SOCK_STREAM)")
        table.apply(call(.socketpair, [1, 2, 0, 0x7100], result: 0, writes: [fdPair(8, 9, at: 0x7100)]))
        XCTAssertEqual(table.describe(9), "socket (AF_UNIX, SOCK_DGRAM; its peer is fd 8)")
        table.apply(call(.fcntl, [7, 1030, 20], result: 20))
        XCTAssertEqual(table.describe(20), "socket (AF_INET, SOCK_STREAM)")
    }

    func testMemfdsSignalfdsAndInotifyInstancesAreKnown() {
        var table = FileDescriptorTable()
        table.apply(call(.memfd_create, [0x1000, 1], result: 3, strings: [0: Array("jit-code".utf8)]))
        table.apply(call(.signalfd4, [UInt64(bitPattern: -1), 0x2000, 8, 0x80000], result: 4))
        table.apply(call(.inotify_init1, [0x80000], result: 5))
        table.apply(call(.eventfd2, [0, 0], result: 6))
        table.apply(call(.epoll_create1, [0], result: 7))
        table.apply(call(.timerfd_create, [1, 0], result: 8))
        XCTAssertEqual(table.describe(3), "memfd \"jit-code\"")
        XCTAssertEqual(table.describe(4), "signalfd")
        XCTAssertEqual(table.describe(5), "inotify instance")
        XCTAssertEqual(table.describe(6), "eventfd")
        XCTAssertEqual(table.describe(7), "epoll instance")
        XCTAssertEqual(table.describe(8), "timerfd (CLOCK_MONOTONIC)")
    }

    func testAcceptedConnectionsNameTheirListeningSocket() {
        var table = FileDescriptorTable()
        table.apply(call(.socket, [10, 1, 0], result: 3))
        table.apply(call(.accept4, [3, 0, 0, 0x80000], result: 4))
        XCTAssertEqual(table.describe(4), "socket (accepted on fd 3)")
    }

    func testCloseRangeClosesUnlessItOnlyMarksCloseOnExec() {
        var table = tableWithPipe()
        table.apply(call(.close_range, [3, 3, 4], result: 0))
        XCTAssertNotNil(table.describe(3))
        table.apply(call(.close_range, [3, UInt64(UInt32.max), 0], result: 0))
        XCTAssertNil(table.describe(3))
        XCTAssertNil(table.describe(4))
        XCTAssertEqual(table.describe(2), "standard error")
    }

    func testABlockedCallDescribesItsDescriptors() {
        var registers = Registers(values: [UInt64](repeating: 0, count: RegisterName.allCases.count))
        registers.origRax = UInt64(Syscall.read.rawValue)
        registers.syscallArguments = [3, 0x7ffe_0000, 64, 0, 0, 0]
        let blocked = BlockedCall(registers: registers, descriptors: tableWithPipe())
        XCTAssertEqual(blocked.text, "read(fd 3 = pipe (read end; write end open as fd 4), 0x7ffe0000, 64)")
        XCTAssertEqual(blocked.descriptors.map(\.argument), [0])
        XCTAssertEqual(blocked.descriptors.map(\.description), ["pipe (read end; write end open as fd 4)"])

        registers.syscallArguments = [12, 0x7ffe_0000, 64, 0, 0, 0]
        let unknown = BlockedCall(registers: registers, descriptors: tableWithPipe())
        XCTAssertEqual(unknown.text, "read(12, 0x7ffe0000, 64)")
        XCTAssertEqual(unknown.descriptors.map(\.fd), [12])
        XCTAssertEqual(unknown.descriptors.map(\.description), [nil])
    }

    func testABlockedFutexWaitReadsAsStraceShowsIt() {
        var registers = Registers(values: [UInt64](repeating: 0, count: RegisterName.allCases.count))
        registers.origRax = UInt64(Syscall.futex.rawValue)
        registers.syscallArguments = [0x5555_5555_80a0, 128, 2, 0, 0, 0]
        let blocked = BlockedCall(registers: registers, descriptors: FileDescriptorTable())
        XCTAssertTrue(blocked.text.hasPrefix("futex(0x5555555580a0, FUTEX_WAIT_PRIVATE, 2, NULL"), blocked.text)
        XCTAssertEqual(blocked.name, "futex")
        XCTAssertTrue(blocked.descriptors.isEmpty)
    }
}
