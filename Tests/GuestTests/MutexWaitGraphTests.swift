import FakeMemory
import Syscalls
import X86Registers
import XCTest

@testable import Guest
@testable import Unwind

/// Wait-for edges and deadlock cycles, from made-up threads and owners.
final class MutexWaitGraphTests: XCTestCase {
    private typealias Thread = MutexWaitGraph.Thread

    func testTwoThreadsWaitingForEachOtherFormACycle() {
        let owners: [UInt64: pid_t] = [0x1000: 3, 0x2000: 2]
        let graph = MutexWaitGraph(
            threads: [Thread(tid: 3, waitsFor: 0x2000), Thread(tid: 2, waitsFor: 0x1000), Thread(tid: 1, waitsFor: nil)],
            owner: { owners[$0] })
        XCTAssertEqual(graph.edges.map(\.waiter), [3, 2])
        XCTAssertEqual(graph.cycles.count, 1)
        XCTAssertEqual(graph.cycles[0].map(\.waiter), [2, 3], "a cycle starts at its lowest thread id")
        XCTAssertEqual(
            MutexWaitGraph.describe(graph.cycles[0]),
            "thread 2 waits for mutex 0x1000 held by thread 3, which waits for mutex 0x2000 held by thread 2")
    }

    func testThreeThreadCycleWithATailIsReportedOnce() {
        let owners: [UInt64: pid_t] = [0xa: 11, 0xb: 12, 0xc: 10]
        let graph = MutexWaitGraph(
            threads: [
                Thread(tid: 13, waitsFor: 0xa),  // waits on the cycle without being part of it
                Thread(tid: 11, waitsFor: 0xb),
                Thread(tid: 12, waitsFor: 0xc),
                Thread(tid: 10, waitsFor: 0xa),
            ],
            owner: { owners[$0] })
        XCTAssertEqual(graph.edges.count, 4)
        XCTAssertEqual(graph.cycles.map { $0.map(\.waiter) }, [[10, 11, 12]])
        XCTAssertEqual(
            MutexWaitGraph.describe(graph.cycles[0]),
            "thread 10 waits for mutex 0xa held by thread 11, which waits for mutex 0xb held by thread 12, "
                + "which waits for mutex 0xc held by thread 10")
    }

    func testAChainWithoutACycleIsNoDeadlock() {
        let owners: [UInt64: pid_t] = [0x10: 2, 0x20: 3]
        let graph = MutexWaitGraph(
            threads: [Thread(tid: 1, waitsFor: 0x10), Thread(tid: 2, waitsFor: 0x20), Thread(tid: 3, waitsFor: nil)],
            owner: { owners[$0] })
        XCTAssertEqual(graph.edges, [
            MutexWaitGraph.Edge(waiter: 1, mutex: 0x10, owner: 2),
            MutexWaitGraph.Edge(waiter: 2, mutex: 0x20, owner: 3),
        ])
        XCTAssertEqual(graph.cycles, [])
    }

    func testUnknownOwnerBreaksTheChain() {
        let graph = MutexWaitGraph(
            threads: [Thread(tid: 5, waitsFor: 0x50), Thread(tid: 6, waitsFor: 0x60)],
            owner: { $0 == 0x60 ? 5 : nil })
        XCTAssertEqual(graph.cycles, [])
        XCTAssertEqual(graph.edges.map(\.description), [
            "thread 5 waits for mutex 0x50 with no known owner",
            "thread 6 waits for mutex 0x60 held by thread 5",
        ])
    }

    func testOwnerOutsideTheThreadListEndsTheChain() {
        let graph = MutexWaitGraph(threads: [Thread(tid: 7, waitsFor: 0x70)], owner: { _ in 99 })
        XCTAssertEqual(graph.edges, [MutexWaitGraph.Edge(waiter: 7, mutex: 0x70, owner: 99)])
        XCTAssertEqual(graph.cycles, [])
    }

    func testRelockingAnOwnMutexIsACycleOfOne() {
        let graph = MutexWaitGraph(threads: [Thread(tid: 4, waitsFor: 0x40)], owner: { _ in 4 })
        XCTAssertEqual(graph.cycles.map { $0.map(\.waiter) }, [[4]])
        XCTAssertEqual(MutexWaitGraph.describe(graph.cycles[0]), "thread 4 waits for mutex 0x40 held by thread 4")
    }

    func testTwoSeparateCyclesAreOrderedByLowestThread() {
        let owners: [UInt64: pid_t] = [1: 21, 2: 20, 3: 9, 4: 8]
        let graph = MutexWaitGraph(
            threads: [
                Thread(tid: 20, waitsFor: 1), Thread(tid: 21, waitsFor: 2), Thread(tid: 8, waitsFor: 3), Thread(tid: 9, waitsFor: 4),
            ],
            owner: { owners[$0] })
        XCTAssertEqual(graph.cycles.map { $0.map(\.waiter) }, [[8, 9], [20, 21]])
    }

    func testFutexWaitsAreRecognisedFromRegisters() {
        var registers = Registers(values: [UInt64](repeating: 0, count: RegisterName.allCases.count))
        registers.origRax = UInt64(Syscall.futex.rawValue)
        registers.rdi = 0x5555_0000_1000
        registers.rsi = 128  // FUTEX_WAIT_PRIVATE, as glibc's __lll_lock_wait uses
        XCTAssertEqual(FutexWait.address(registers), 0x5555_0000_1000)
        registers.rsi = 9 | 128 | 256  // FUTEX_WAIT_BITSET_PRIVATE with FUTEX_CLOCK_REALTIME
        XCTAssertEqual(FutexWait.address(registers), 0x5555_0000_1000)
        registers.rsi = 6  // FUTEX_LOCK_PI
        XCTAssertEqual(FutexWait.address(registers), 0x5555_0000_1000)
        registers.rsi = 129  // FUTEX_WAKE_PRIVATE
        XCTAssertNil(FutexWait.address(registers))
        registers.rsi = 128
        registers.origRax = UInt64(Syscall.read.rawValue)
        XCTAssertNil(FutexWait.address(registers))
    }

    func testGlibcMutexOwnerIsTheIntAtOffsetEight() throws {
        var memory = FakeGuestMemory()
        // __lock = 2 (locked, with waiters), __count = 0, __owner = 4242.
        memory.write(littleEndian: 2, size: 4, at: 0x7000)
        memory.write(littleEndian: 0, size: 4, at: 0x7004)
        memory.write(littleEndian: 4242, size: 4, at: 0x7008)
        memory.write(littleEndian: 0, size: 4, at: 0x7108)
        XCTAssertEqual(try GlibcMutex.owner(ofMutexAt: 0x7000, memory: memory), 4242)
        XCTAssertNil(try GlibcMutex.owner(ofMutexAt: 0x7100, memory: memory), "unlocked")
        XCTAssertThrowsError(try GlibcMutex.owner(ofMutexAt: 0x9000, memory: memory))
    }
}
