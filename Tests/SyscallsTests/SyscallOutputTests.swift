import FakeMemory
import XCTest
@testable import Syscalls

/// The memory each call's output rule says the kernel wrote, for representative calls.
final class SyscallOutputTests: XCTestCase {
    private func written(
        _ name: String, _ arguments: [UInt64], result: Int64, memory: FakeGuestMemory = FakeGuestMemory()
    ) throws -> [MemoryRange] {
        let call = try XCTUnwrap(Syscall(named: name), name)
        let descriptor = try XCTUnwrap(SyscallTable.descriptor(for: call), name)
        let context = SyscallOutputContext(arguments: arguments, result: result, memory: memory)
        return try descriptor.writtenMemory(context)
    }

    private func range(_ address: UInt64, _ length: Int) -> MemoryRange {
        MemoryRange(address: address, length: length)
    }

    func testReadWritesTheBytesItReturned() throws {
        XCTAssertEqual(try written("read", [3, 0x7000, 4096], result: 832), [range(0x7000, 832)])
        XCTAssertEqual(try written("read", [3, 0x7000, 4096], result: 0), [])
        XCTAssertEqual(try written("write", [1, 0x7000, 10], result: 10), [])
        XCTAssertEqual(try written("pread64", [3, 0x7000, 100, 0], result: 64), [range(0x7000, 64)])
        XCTAssertEqual(try written("getdents64", [3, 0x9000, 32768], result: 480), [range(0x9000, 480)])
    }

    func testReadvScattersAPartialResultInOrder() throws {
        var memory = FakeGuestMemory()
        memory.writeIovecs([(0x1000, 10), (0x2000, 0), (0x3000, 20), (0x4000, 5)], at: 0x500)
        XCTAssertEqual(
            try written("readv", [3, 0x500, 4], result: 25, memory: memory),
            [range(0x1000, 10), range(0x3000, 15)]
        )
        XCTAssertEqual(
            try written("preadv2", [3, 0x500, 4, 0, 0, 0], result: 35, memory: memory),
            [range(0x1000, 10), range(0x3000, 20), range(0x4000, 5)]
        )
        XCTAssertEqual(try written("readv", [3, 0x500, 4], result: 0, memory: memory), [])
    }

    func testErrorResultsNeverConsultTheRule() throws {
        let noMemory = FakeGuestMemory()
        XCTAssertEqual(try written("read", [3, 0x7000, 4096], result: -14), [])
        XCTAssertEqual(try written("readv", [3, 0x500, 4], result: -9, memory: noMemory), [])
        XCTAssertEqual(try written("recvmsg", [3, 0x5000, 0], result: -11, memory: noMemory), [])
        XCTAssertEqual(try written("ioctl", [0, 0x1234, 0x7000], result: -25), [])
    }

    func testRecvmsgRecordsHeaderAddressDataAndControl() throws {
        var memory = FakeGuestMemory()
        let header: UInt64 = 0x5000
        memory.write([UInt8](repeating: 0, count: 56), at: header)
        memory.write(littleEndian: 0x6000, size: 8, at: header)          // msg_name
        memory.write(littleEndian: 16, size: 4, at: header + 8)          // msg_namelen after the call
        memory.write(littleEndian: 0x7000, size: 8, at: header + 16)     // msg_iov
        memory.write(littleEndian: 2, size: 8, at: header + 24)          // msg_iovlen
        memory.write(littleEndian: 0xA000, size: 8, at: header + 32)     // msg_control
        memory.write(littleEndian: 24, size: 8, at: header + 40)         // msg_controllen after the call
        memory.writeIovecs([(0x8000, 4), (0x9000, 100)], at: 0x7000)
        XCTAssertEqual(
            try written("recvmsg", [3, header, 0], result: 10, memory: memory),
            [range(header, 56), range(0x6000, 16), range(0x8000, 4), range(0x9000, 6), range(0xA000, 24)]
        )
    }

    func testRecvmsgWithoutAddressOrControl() throws {
        var memory = FakeGuestMemory()
        memory.write([UInt8](repeating: 0, count: 56), at: 0x5000)
        memory.write(littleEndian: 0x7000, size: 8, at: 0x5010)
        memory.write(littleEndian: 1, size: 8, at: 0x5018)
        memory.writeIovecs([(0x8000, 64)], at: 0x7000)
        XCTAssertEqual(
            try written("recvmsg", [3, 0x5000, 0], result: 64, memory: memory),
            [range(0x5000, 56), range(0x8000, 64)]
        )
    }

    func testRecvmmsgRecordsEachFilledEntry() throws {
        var memory = FakeGuestMemory()
        for (index, buffer) in [(0, UInt64(0x8000)), (1, UInt64(0x9000))] {
            let entry = 0x5000 + UInt64(index * 64)
            memory.write([UInt8](repeating: 0, count: 64), at: entry)
            let iovec = 0x7000 + UInt64(index * 16)
            memory.write(littleEndian: iovec, size: 8, at: entry + 16)
            memory.write(littleEndian: 1, size: 8, at: entry + 24)
            memory.write(littleEndian: 5 + UInt64(index), size: 4, at: entry + 56)   // msg_len
            memory.writeIovecs([(buffer, 100)], at: iovec)
        }
        XCTAssertEqual(
            try written("recvmmsg", [3, 0x5000, 8, 0, 0], result: 2, memory: memory),
            [range(0x5000, 64), range(0x8000, 5), range(0x5040, 64), range(0x9000, 6)]
        )
        XCTAssertEqual(
            try written("sendmmsg", [3, 0x5000, 8, 0], result: 3),
            [range(0x5000, 192)]
        )
    }

    func testAcceptRecordsTheReturnedAddress() throws {
        var memory = FakeGuestMemory()
        memory.write(littleEndian: 16, size: 4, at: 0x2000)
        XCTAssertEqual(
            try written("accept4", [3, 0x1000, 0x2000, 0x80000], result: 4, memory: memory),
            [range(0x1000, 16), range(0x2000, 4)]
        )
        XCTAssertEqual(try written("accept4", [3, 0, 0, 0], result: 4), [])
        XCTAssertEqual(
            try written("getpeername", [3, 0x1000, 0x2000], result: 0, memory: memory),
            [range(0x1000, 16), range(0x2000, 4)]
        )
    }

    func testAnOversizedAddressLengthIsCappedAtSockaddrStorage() throws {
        var memory = FakeGuestMemory()
        memory.write(littleEndian: 300, size: 4, at: 0x2000)
        XCTAssertEqual(
            try written("accept", [3, 0x1000, 0x2000], result: 4, memory: memory),
            [range(0x1000, 128), range(0x2000, 4)]
        )
    }

    func testRecvfromWritesOnlyTheBufferWhenTruncated() throws {
        var memory = FakeGuestMemory()
        memory.write(littleEndian: 16, size: 4, at: 0x2000)
        XCTAssertEqual(
            try written("recvfrom", [3, 0x8000, 1500, 0x20, 0x1000, 0x2000], result: 2000, memory: memory),
            [range(0x8000, 1500), range(0x1000, 16), range(0x2000, 4)]
        )
        XCTAssertEqual(try written("recvfrom", [3, 0x8000, 1500, 0, 0, 0], result: 100), [range(0x8000, 100)])
    }

    func testGetsockoptRecordsTheStoredLength() throws {
        var memory = FakeGuestMemory()
        memory.write(littleEndian: 4, size: 4, at: 0x2000)
        XCTAssertEqual(
            try written("getsockopt", [3, 1, 4, 0x1000, 0x2000], result: 0, memory: memory),
            [range(0x1000, 4), range(0x2000, 4)]
        )
    }

    func testStatFamilyWritesFixedStructs() throws {
        XCTAssertEqual(try written("stat", [0x100, 0x2000], result: 0), [range(0x2000, 144)])
        XCTAssertEqual(try written("fstat", [3, 0x2000], result: 0), [range(0x2000, 144)])
        XCTAssertEqual(try written("newfstatat", [UInt64(bitPattern: -100), 0x100, 0x2000, 0x100], result: 0),
                       [range(0x2000, 144)])
        XCTAssertEqual(try written("statx", [3, 0x100, 0x1000, 0xfff, 0x3000], result: 0), [range(0x3000, 256)])
        XCTAssertEqual(try written("statfs", [0x100, 0x2000], result: 0), [range(0x2000, 120)])
    }

    func testPollAndEpollWriteTheirArrays() throws {
        XCTAssertEqual(try written("poll", [0x1000, 3, 100], result: 1), [range(0x1000, 24)])
        XCTAssertEqual(try written("ppoll", [0x1000, 2, 0x2000, 0, 8], result: 0),
                       [range(0x1000, 16), range(0x2000, 16)])
        XCTAssertEqual(try written("epoll_wait", [4, 0x1000, 64, 100], result: 2), [range(0x1000, 24)])
        XCTAssertEqual(try written("epoll_pwait", [4, 0x1000, 64, 100, 0, 8], result: 0), [])
    }

    func testSelectWritesTheGivenFdSetsAndTimeout() throws {
        XCTAssertEqual(
            try written("select", [65, 0x1000, 0, 0x3000, 0x4000], result: 1),
            [range(0x1000, 16), range(0x3000, 16), range(0x4000, 16)]
        )
        XCTAssertEqual(try written("pselect6", [3, 0x1000, 0, 0, 0, 0], result: 1), [range(0x1000, 8)])
    }

    func testIoctlRequests() throws {
        XCTAssertEqual(try written("ioctl", [0, 0x5401, 0x7000], result: 0), [range(0x7000, 36)])
        XCTAssertEqual(try written("ioctl", [1, 0x5413, 0x7000], result: 0), [range(0x7000, 8)])
        XCTAssertEqual(try written("ioctl", [3, 0x541B, 0x7000], result: 0), [range(0x7000, 4)])
        XCTAssertEqual(try written("ioctl", [0, 0x540F, 0x7000], result: 0), [range(0x7000, 4)])
        XCTAssertEqual(try written("ioctl", [0, 0x5402, 0x7000], result: 0), [])
        XCTAssertEqual(try written("ioctl", [3, 0x5421, 0x7000], result: 0), [])
        // The kernel reads the request as 32 bits; stray upper bits don't change it.
        XCTAssertEqual(try written("ioctl", [0, 0xffff_ffff_0000_5401, 0x7000], result: 0), [range(0x7000, 36)])
    }

    func testUnknownIoctlThrowsNamingTheRequestInHex() {
        XCTAssertThrowsError(try written("ioctl", [3, 0x8004_6601, 0x7000], result: 0)) { error in
            let variant = error as? UnknownSyscallVariant
            XCTAssertNotNil(variant)
            XCTAssertTrue(variant?.description.contains("ioctl request 0x80046601") ?? false, "\(error)")
        }
    }

    func testFcntlCommands() throws {
        XCTAssertEqual(try written("fcntl", [3, 5, 0x7000], result: 0), [range(0x7000, 32)])
        XCTAssertEqual(try written("fcntl", [3, 36, 0x7000], result: 0), [range(0x7000, 32)])
        XCTAssertEqual(try written("fcntl", [3, 1, 0], result: 1), [])
        XCTAssertEqual(try written("fcntl", [3, 1030, 10], result: 10), [])
        XCTAssertThrowsError(try written("fcntl", [3, 1035, 0x7000], result: 0))
    }

    func testRuntimeSetupCalls() throws {
        XCTAssertEqual(try written("arch_prctl", [0x1003, 0x7000], result: 0), [range(0x7000, 8)])
        XCTAssertEqual(try written("arch_prctl", [0x1002, 0x7ffff7d8a740], result: 0), [])
        XCTAssertEqual(try written("prctl", [16, 0x7000, 0, 0, 0], result: 0), [range(0x7000, 16)])
        XCTAssertEqual(try written("prctl", [15, 0x7000, 0, 0, 0], result: 0), [])
        XCTAssertThrowsError(try written("prctl", [26, 1, 0, 0, 0], result: 0))
        XCTAssertEqual(try written("futex", [0x7000, 0x81, 1, 0, 0, 0], result: 0), [])
        XCTAssertEqual(try written("futex", [0x7000, 0x85, 1, 1, 0x8000, 0], result: 1), [range(0x8000, 4)])
        XCTAssertThrowsError(try written("futex", [0x7000, 2, 0, 0, 0, 0], result: 0))
        XCTAssertEqual(try written("rt_sigaction", [2, 0x1000, 0x2000, 8], result: 0), [range(0x2000, 32)])
        XCTAssertEqual(try written("rt_sigprocmask", [0, 0x1000, 0x2000, 8], result: 0), [range(0x2000, 8)])
        XCTAssertEqual(try written("sigaltstack", [0x1000, 0x2000], result: 0), [range(0x2000, 24)])
    }

    func testSizedAndConditionalOutputs() throws {
        XCTAssertEqual(try written("getxattr", [0x100, 0x200, 0x3000, 0], result: 40), [])
        XCTAssertEqual(try written("getxattr", [0x100, 0x200, 0x3000, 255], result: 40), [range(0x3000, 40)])
        XCTAssertEqual(try written("getgroups", [0, 0], result: 5), [])
        XCTAssertEqual(try written("getgroups", [32, 0x3000], result: 5), [range(0x3000, 20)])
        XCTAssertEqual(try written("mincore", [0x10000, 4097, 0x3000], result: 0), [range(0x3000, 2)])
        XCTAssertEqual(try written("wait4", [UInt64(bitPattern: -1), 0x1000, 1, 0x2000], result: 0), [])
        XCTAssertEqual(try written("wait4", [UInt64(bitPattern: -1), 0x1000, 0, 0x2000], result: 1234),
                       [range(0x1000, 4), range(0x2000, 144)])
        XCTAssertEqual(try written("time", [0], result: 1_700_000_000), [])
        XCTAssertEqual(try written("clock_gettime", [1, 0x1000], result: 0), [range(0x1000, 16)])
        XCTAssertEqual(try written("pipe2", [0x1000, 0x80000], result: 0), [range(0x1000, 8)])
        XCTAssertEqual(try written("getresuid", [0x1000, 0x1004, 0x1008], result: 0),
                       [range(0x1000, 4), range(0x1004, 4), range(0x1008, 4)])
        XCTAssertEqual(try written("uname", [0x1000], result: 0), [range(0x1000, 390)])
        XCTAssertEqual(try written("getrandom", [0x1000, 32, 1], result: 32), [range(0x1000, 32)])
    }
}
