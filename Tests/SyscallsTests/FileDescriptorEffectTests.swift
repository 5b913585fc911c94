import FakeMemory
import XCTest
@testable import Syscalls

/// Every described call that makes a descriptor says so, with a kind whose details its
/// arguments really hold, so that the hang report's descriptor table knows it.
final class FileDescriptorEffectTests: XCTestCase {
    /// Calls that return a new file descriptor (or store new ones), from their man pages. A
    /// call here that gets a descriptor must get a `fileDescriptors` effect too.
    private let creators: [Syscall] = [
        .open, .openat, .openat2, .creat, .open_by_handle_at, .memfd_create, .memfd_secret, .pipe, .pipe2,
        .socket, .socketpair, .accept, .accept4, .dup, .dup2, .dup3, .fcntl, .eventfd, .eventfd2,
        .epoll_create, .epoll_create1, .timerfd_create, .signalfd, .signalfd4, .inotify_init, .inotify_init1,
        .fanotify_init, .perf_event_open, .userfaultfd, .pidfd_open, .pidfd_getfd, .io_uring_setup, .mq_open,
        .fsopen, .fsmount, .fspick, .open_tree, .landlock_create_ruleset, .bpf, .seccomp,
    ]

    func testEveryDescribedCallThatMakesADescriptorSaysSo() {
        for call in creators {
            guard let descriptor = SyscallTable.descriptor(for: call) else { continue }
            switch descriptor.fileDescriptors {
            case .opens?, .opensPair?, .duplicates?: break
            default: XCTFail("\(call.name) makes a descriptor but its row has no `fileDescriptors` effect")
            }
        }
    }

    func testTheCallsThatUsedToBeMissingAreKnown() {
        XCTAssertEqual(SyscallTable.descriptor(for: .memfd_create)?.fileDescriptors, .opens(.memoryFile))
        XCTAssertEqual(SyscallTable.descriptor(for: .signalfd4)?.fileDescriptors, .opens(.signalfd))
        XCTAssertEqual(SyscallTable.descriptor(for: .inotify_init1)?.fileDescriptors, .opens(.inotify))
    }

    func testEachKindFindsItsDetailsInArgumentsThatHoldThem() {
        for descriptor in SyscallTable.allDescriptors {
            let arguments = descriptor.arguments
            switch descriptor.fileDescriptors {
            case .opens(let kind)?:
                check(kind, of: descriptor)
            case .opensPair(let kind, let pairArgument)?:
                check(kind, of: descriptor)
                XCTAssertEqual(arguments[pairArgument], .pointer, descriptor.name)
                let context = SyscallOutputContext(
                    arguments: (0..<6).map { $0 == pairArgument ? 0x7000 : 1 }, result: 0, memory: FakeGuestMemory())
                XCTAssertEqual(
                    try descriptor.writtenMemory(context), [MemoryRange(address: 0x7000, length: 8)],
                    "\(descriptor.name) records the pair it stores, which the descriptor table reads")
            case .duplicates(let target, let variants)?:
                XCTAssertEqual(arguments[0], .fd, descriptor.name)
                if case .argument(let index) = target { XCTAssertEqual(arguments[index], .fd, descriptor.name) }
                if let variants { XCTAssertTrue(arguments.indices.contains(variants.argument), descriptor.name) }
            case .closes?, .closesRange?:
                XCTAssertEqual(arguments[0], .fd, descriptor.name)
            case nil:
                break
            }
        }
    }

    private func check(_ kind: FileDescriptorKind, of descriptor: SyscallDescriptor) {
        let arguments = descriptor.arguments
        switch kind {
        case .file(let pathArgument): XCTAssertEqual(arguments[pathArgument], .string, descriptor.name)
        case .memoryFile: XCTAssertEqual(arguments.first, .string, descriptor.name)
        case .socket: XCTAssertEqual(arguments.first, .socketFamily, descriptor.name)
        case .acceptedSocket, .signalfd: XCTAssertEqual(arguments.first, .fd, descriptor.name)
        case .timerfd: XCTAssertEqual(arguments.first, .clockID, descriptor.name)
        case .pipe, .eventfd, .epoll, .inotify: break
        }
    }

    func testFcntlDuplicatesOnlyForItsDupCommands() throws {
        guard case .duplicates(.result, let variants?)? = SyscallTable.descriptor(for: .fcntl)?.fileDescriptors else {
            return XCTFail("fcntl does not duplicate into its result for some commands")
        }
        XCTAssertEqual(variants.selectors, [0, 1030], "F_DUPFD and F_DUPFD_CLOEXEC")
        XCTAssertTrue(variants.contain([3, 1030, 10]))
        XCTAssertFalse(variants.contain([3, 3, 0]))
    }
}
