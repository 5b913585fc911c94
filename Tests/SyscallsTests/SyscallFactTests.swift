import FakeMemory
import Glibc
import XCTest
@testable import Syscalls

/// The facts the guest kernel acts on besides outputs: which calls block, what the write family
/// sends, which calls the recorder answers itself, and the other per-call fields. Each fact is
/// checked for being consistent with the rest of its row, so that a new row with a fact that
/// can't hold fails here.
final class SyscallFactTests: XCTestCase {
    private func descriptor(_ call: Syscall) throws -> SyscallDescriptor {
        try XCTUnwrap(SyscallTable.descriptor(for: call), call.name)
    }

    private func mayBlock(_ call: Syscall, _ arguments: [UInt64] = [0, 0, 0, 0, 0, 0]) -> Bool {
        SyscallTable.mayBlock(call.rawValue, arguments: arguments)
    }

    func testWaitingCallsMayBlockAndOthersDoNot() {
        for call: Syscall in [.read, .ppoll, .epoll_wait, .nanosleep, .accept4, .recvmsg, .wait4, .rt_sigsuspend,
                              .flock, .sched_yield] {
            XCTAssertTrue(mayBlock(call), call.name)
        }
        for call: Syscall in [.write, .openat, .close, .mmap, .getpid, .clock_gettime, .preadv2] {
            XCTAssertFalse(mayBlock(call), call.name)
        }
        XCTAssertFalse(SyscallTable.mayBlock(999, arguments: [0, 0, 0, 0, 0, 0]))
    }

    func testFutexAndFcntlBlockOnlyInTheirWaitingVariants() {
        let futexWaitPrivate: UInt64 = 0 | 128, futexWake: UInt64 = 1, futexLockPI: UInt64 = 6
        XCTAssertTrue(mayBlock(.futex, [0x7000, futexWaitPrivate, 2, 0, 0, 0]))
        XCTAssertTrue(mayBlock(.futex, [0x7000, futexLockPI, 0, 0, 0, 0]))
        XCTAssertTrue(mayBlock(.futex, [0x7000, 9 | 256, 0, 0, 0, 0]), "FUTEX_WAIT_BITSET with FUTEX_CLOCK_REALTIME")
        XCTAssertFalse(mayBlock(.futex, [0x7000, futexWake | 128, 1, 0, 0, 0]))
        XCTAssertTrue(mayBlock(.fcntl, [3, UInt64(F_SETLKW), 0x7000, 0, 0, 0]))
        XCTAssertTrue(mayBlock(.fcntl, [3, 38, 0x7000, 0, 0, 0]), "F_OFD_SETLKW")
        XCTAssertFalse(mayBlock(.fcntl, [3, UInt64(F_SETLK), 0x7000, 0, 0, 0]))
        XCTAssertFalse(mayBlock(.fcntl, [3, UInt64(F_GETFL), 0, 0, 0, 0]))
    }

    func testUndescribedCallsThatBlockStaySoUntilTheyAreDescribed() {
        XCTAssertTrue(mayBlock(.semop))
        XCTAssertTrue(mayBlock(.mq_timedreceive))
        for call in SyscallTable.blockingWithoutDescriptor {
            XCTAssertNil(SyscallTable.descriptor(for: call), "\(call.name) has a descriptor: say `blocks:` there")
        }
    }

    func testBlockingVariantsReadAnArgumentTheCallHas() {
        for descriptor in SyscallTable.allDescriptors {
            guard case .only(let variants) = descriptor.blocks else { continue }
            XCTAssertTrue(descriptor.arguments.indices.contains(variants.argument), descriptor.name)
            XCTAssertFalse(variants.selectors.isEmpty, descriptor.name)
        }
    }

    func testWritesSendTheirBufferAndWritevGathersItsIovecsInOrder() throws {
        var memory = FakeGuestMemory()
        memory.write(Array("hello, world".utf8), at: 0x1000)
        let write = try XCTUnwrap(descriptor(.write).outgoingData)
        XCTAssertEqual(try write.bytes([1, 0x1000, 12], count: 5, memory: memory), Array("hello".utf8))
        XCTAssertEqual(try write.bytes([1, 0x1000, 12], count: 0, memory: memory), [])

        memory.write(Array("abc".utf8), at: 0x2000)
        memory.write(Array("defgh".utf8), at: 0x3000)
        memory.writeIovecs([(0x2000, 3), (0x4000, 0), (0x3000, 5)], at: 0x500)
        let writev = try XCTUnwrap(descriptor(.writev).outgoingData)
        XCTAssertEqual(try writev.bytes([1, 0x500, 3], count: 6, memory: memory), Array("abcdef".utf8))
        XCTAssertEqual(try descriptor(.pwritev2).outgoingData, writev)
    }

    func testOnlyCallsThatSendFromAPointerHaveOutgoingData() {
        for descriptor in SyscallTable.allDescriptors {
            let pointer: Int
            switch descriptor.outgoingData {
            case nil: continue
            case .buffer(let argument)?: pointer = argument
            case .iovecs(let argument, let countArgument)?:
                pointer = argument
                XCTAssertEqual(descriptor.arguments[countArgument], .unsigned, descriptor.name)
            }
            XCTAssertEqual(descriptor.arguments[pointer], .pointer, descriptor.name)
            XCTAssertEqual(descriptor.replay, .emulate, descriptor.name)
        }
        XCTAssertNil(SyscallTable.descriptor(for: .read)?.outgoingData)
    }

    func testTheRecorderAnswersIdsClocksAndClone3Itself() throws {
        XCTAssertEqual(try descriptor(.getpid).tracerAnswer, .processID)
        XCTAssertEqual(try descriptor(.gettid).tracerAnswer, .threadID)
        XCTAssertEqual(try descriptor(.getppid).tracerAnswer, .parentProcessID)
        XCTAssertEqual(try descriptor(.clock_gettime).tracerAnswer, .clockTime)
        XCTAssertEqual(try descriptor(.gettimeofday).tracerAnswer, .timeOfDay)
        XCTAssertEqual(try descriptor(.time).tracerAnswer, .seconds)
        XCTAssertEqual(try descriptor(.clone3).tracerAnswer, .failure(errno: ENOSYS))
        for descriptor in SyscallTable.allDescriptors where descriptor.tracerAnswer != nil {
            XCTAssertEqual(descriptor.replay, .emulate, "\(descriptor.name) is answered at entry, so replay emulates it")
            XCTAssertEqual(descriptor.blocks, .never, descriptor.name)
        }
    }

    func testWaitSignalMasksPointAtTheMaskArguments() throws {
        XCTAssertEqual(try descriptor(.ppoll).waitSignalMask, .arguments(address: 3, size: 4))
        XCTAssertEqual(try descriptor(.pselect6).waitSignalMask, .pair(atArgument: 5))
        XCTAssertEqual(try descriptor(.epoll_pwait).waitSignalMask, .arguments(address: 4, size: 5))
        XCTAssertEqual(try descriptor(.epoll_pwait2).waitSignalMask, .arguments(address: 4, size: 5))
        for descriptor in SyscallTable.allDescriptors {
            switch descriptor.waitSignalMask {
            case nil: continue
            case .arguments(let address, let size)?:
                XCTAssertEqual(descriptor.arguments[address], .pointer, descriptor.name)
                XCTAssertEqual(descriptor.arguments[size], .unsigned, descriptor.name)
            case .pair(let pairArgument)?:
                XCTAssertEqual(descriptor.arguments[pairArgument], .pointer, descriptor.name)
            }
            XCTAssertEqual(descriptor.blocks, .always, descriptor.name)
            XCTAssertEqual(descriptor.replay, .emulate, descriptor.name)
        }
    }

    func testInKernelCopiesNameTheirDestinationDescriptor() throws {
        XCTAssertEqual(try descriptor(.sendfile).inKernelCopy, InKernelCopy(destinationArgument: 0, refusalErrno: EINVAL))
        XCTAssertEqual(try descriptor(.copy_file_range).inKernelCopy?.refusalErrno, ENOSYS)
        XCTAssertNotNil(try descriptor(.splice).inKernelCopy)
        XCTAssertNotNil(try descriptor(.tee).inKernelCopy)
        for descriptor in SyscallTable.allDescriptors {
            guard let copy = descriptor.inKernelCopy else { continue }
            XCTAssertEqual(descriptor.arguments[copy.destinationArgument], .fd, descriptor.name)
        }
    }

    func testOnlyTheSleepsWriteWhenASignalInterruptsThem() throws {
        let memory = FakeGuestMemory()
        let interrupted = SyscallOutputContext(arguments: [0x1000, 0x2000], result: -Int64(EINTR), memory: memory)
        XCTAssertEqual(try descriptor(.nanosleep).writtenMemory(interrupted), [MemoryRange(address: 0x2000, length: 16)])
        let restarted = SyscallOutputContext(arguments: [0x1000, 0x2000], result: -516, memory: memory)
        XCTAssertEqual(try descriptor(.nanosleep).writtenMemory(restarted), [MemoryRange(address: 0x2000, length: 16)])
        let failed = SyscallOutputContext(arguments: [0x1000, 0x2000], result: -Int64(EFAULT), memory: memory)
        XCTAssertEqual(try descriptor(.nanosleep).writtenMemory(failed), [])
        let read = SyscallOutputContext(arguments: [3, 0x2000, 16], result: -Int64(EINTR), memory: memory)
        XCTAssertEqual(try descriptor(.read).writtenMemory(read), [])
        let sleeps = SyscallTable.allDescriptors.filter(\.writesWhenInterrupted).map(\.syscall)
        XCTAssertEqual(sleeps, [.nanosleep, .clock_nanosleep])
    }
}
