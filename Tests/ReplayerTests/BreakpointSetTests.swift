import Guest
import Trace
import XCTest

@testable import Replayer

/// Memory of a few mapped bytes that breakpoints can be planted in; unmapped bytes throw, as
/// code a guest has not mapped yet does.
private final class FakeCode: BreakpointMemory {
    struct Unmapped: Error {}

    var bytes: [UInt64: UInt8] = [:]

    func map(_ data: [UInt8], at address: UInt64) {
        for (offset, byte) in data.enumerated() { bytes[address + UInt64(offset)] = byte }
    }

    func read(_ address: UInt64, count: Int) throws -> [UInt8] {
        try (0..<count).map { offset in
            guard let byte = bytes[address + UInt64(offset)] else { throw Unmapped() }
            return byte
        }
    }

    func write(_ data: [UInt8], at address: UInt64) throws {
        for offset in data.indices where bytes[address + UInt64(offset)] == nil { throw Unmapped() }
        map(data, at: address)
    }
}

final class BreakpointSetTests: XCTestCase {
    private static let code: [UInt8] = [0x55, 0x48, 0x89, 0xe5, 0x90, 0xc3]
    private static let base: UInt64 = 0x40_1000

    private func mappedCode() -> FakeCode {
        let memory = FakeCode()
        memory.map(Self.code, at: Self.base)
        return memory
    }

    func testSoftwareBreakpointIsPlantedAndRemovedWithItsOriginalByte() throws {
        let set = BreakpointSet()
        let memory = mappedCode()
        try set.insertSoftware(Self.base + 1, in: memory)
        XCTAssertTrue(set.containsSoftware(Self.base + 1))
        XCTAssertTrue(set.planted.contains(Self.base + 1))
        XCTAssertEqual(memory.bytes[Self.base + 1], SoftwareBreakpoints.int3)
        XCTAssertEqual(set.planted.masking(try memory.read(Self.base, count: 6), at: Self.base), Self.code)
        XCTAssertFalse(set.isEmpty)

        try set.removeSoftware(Self.base + 1, in: memory)
        XCTAssertFalse(set.containsSoftware(Self.base + 1))
        XCTAssertEqual(try memory.read(Self.base, count: 6), Self.code)
        XCTAssertTrue(set.isEmpty)
    }

    func testInsertingIntoUnmappedCodeFailsAndKeepsNothing() {
        let set = BreakpointSet()
        XCTAssertThrowsError(try set.insertSoftware(0x1234, in: mappedCode()))
        XCTAssertFalse(set.containsSoftware(0x1234))
        XCTAssertTrue(set.isEmpty)
    }

    func testANewGuestGetsTheUserBreakpointsOnlyWhenReplanting() throws {
        let set = BreakpointSet()
        try set.insertSoftware(Self.base, in: mappedCode())

        let fresh = mappedCode()
        set.guestReplaced(replanting: false)
        set.plantQueued(in: fresh)
        XCTAssertFalse(set.planted.contains(Self.base))
        XCTAssertEqual(try fresh.read(Self.base, count: 6), Self.code)
        XCTAssertTrue(set.containsSoftware(Self.base), "the user's breakpoint is kept for later guests")

        let replanted = mappedCode()
        set.guestReplaced(replanting: true)
        set.plantQueued(in: replanted)
        XCTAssertEqual(replanted.bytes[Self.base], SoftwareBreakpoints.int3)
    }

    func testBreakpointsInCodeNotYetMappedArePlantedOnceItIs() throws {
        let set = BreakpointSet()
        let library: UInt64 = 0x7f00_0000_1000
        let first = mappedCode()
        first.map([0x90], at: library)
        try set.insertSoftware(library, in: first)
        try set.insertSoftware(Self.base + 4, in: first)

        let later = mappedCode()
        set.guestReplaced(replanting: true)
        set.plantQueued(in: later)
        XCTAssertTrue(set.planted.contains(Self.base + 4))
        XCTAssertFalse(set.planted.contains(library))

        later.map([0x90], at: library)
        set.memoryReplaced(library..<library + 0x1000)
        set.plantQueued(in: later)
        XCTAssertEqual(later.bytes[library], SoftwareBreakpoints.int3)
    }

    func testMemoryMappedOverABreakpointGetsItAgain() throws {
        let set = BreakpointSet()
        let memory = mappedCode()
        try set.insertSoftware(Self.base + 2, in: memory)
        memory.map(Self.code, at: Self.base)
        set.memoryReplaced(Self.base..<Self.base + 0x1000)
        XCTAssertFalse(set.planted.contains(Self.base + 2))
        set.plantQueued(in: memory)
        XCTAssertEqual(memory.bytes[Self.base + 2], SoftwareBreakpoints.int3)
        XCTAssertEqual(set.planted.masking(try memory.read(Self.base, count: 6), at: Self.base), Self.code)
    }

    func testQueueingSoftwareReplantsOnlyWhatIsNotPlanted() throws {
        let set = BreakpointSet()
        let memory = mappedCode()
        try set.insertSoftware(Self.base, in: memory)
        set.queueSoftware()
        set.plantQueued(in: memory)
        XCTAssertEqual(set.planted.originals[Self.base], Self.code[0], "the original byte is not replaced by the int3")
    }

    func testAMarkerSharingAUserBreakpointStays() throws {
        let set = BreakpointSet()
        let memory = mappedCode()
        try set.insertSoftware(Self.base, in: memory)
        set.queueMarker(Self.base)
        set.queueMarker(Self.base + 5)
        set.plantQueued(in: memory)
        XCTAssertTrue(set.planted.contains(Self.base + 5))
        XCTAssertFalse(set.containsSoftware(Self.base + 5))

        try set.removeMarker(Self.base, in: memory)
        try set.removeMarker(Self.base + 5, in: memory)
        XCTAssertEqual(memory.bytes[Self.base], SoftwareBreakpoints.int3)
        XCTAssertEqual(memory.bytes[Self.base + 5], Self.code[5])
    }

    func testAForkedCopyLosesTheInheritedBytes() throws {
        let set = BreakpointSet()
        let parent = mappedCode()
        try set.insertSoftware(Self.base + 3, in: parent)
        let child = mappedCode()
        child.map([SoftwareBreakpoints.int3], at: Self.base + 3)
        set.removeInherited(from: child)
        XCTAssertEqual(try child.read(Self.base, count: 6), Self.code)
        XCTAssertEqual(parent.bytes[Self.base + 3], SoftwareBreakpoints.int3)
    }

    func testFourHardwareSlotsAtMost() {
        let set = BreakpointSet()
        let slots = (0..<5).map { DebugRegisterSlot(address: 0x1000 + UInt64($0) * 8, length: 8, condition: .write) }
        for slot in slots.prefix(4) { XCTAssertTrue(set.insertHardware(slot, kind: .write)) }
        XCTAssertFalse(set.insertHardware(slots[4], kind: .write))
        set.removeHardware(slots[1])
        XCTAssertTrue(set.insertHardware(slots[4], kind: .write))
        XCTAssertEqual(set.hardwareStop(triggered: 1), .watchpoint(.write, slots[4].address))
        XCTAssertFalse(set.isEmpty)
    }

    func testHardwareStopsAndBreakpointAddresses() {
        let set = BreakpointSet()
        let breakpoint = DebugRegisterSlot(address: 0x40_1000, length: 1, condition: .execute)
        let watch = DebugRegisterSlot(address: 0x60_0000, length: 4, condition: .readWrite)
        XCTAssertTrue(set.insertHardware(breakpoint, kind: nil))
        XCTAssertTrue(set.insertHardware(watch, kind: .access))
        XCTAssertEqual(set.hardwareStop(triggered: 0), .hardwareBreakpoint(0x40_1000))
        XCTAssertEqual(set.hardwareStop(triggered: 1), .watchpoint(.access, 0x60_0000))
        XCTAssertNil(set.hardwareStop(triggered: 2))
        XCTAssertEqual(set.hardwareBreakpointAddresses, [0x40_1000])
        set.removeHardware(breakpoint)
        XCTAssertNil(set.hardwareStop(triggered: 0))
        XCTAssertEqual(set.hardwareBreakpointAddresses, [])
    }

    func testTheAssignmentChangesOnlyWhenAssignedAfterAChange() {
        let set = BreakpointSet()
        let slot = DebugRegisterSlot(address: 0x60_0000, length: 8, condition: .write)
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 0, "nothing to give threads yet")

        XCTAssertTrue(set.insertHardware(slot, kind: .write))
        XCTAssertEqual(set.assignment.version, 0, "threads get slots when the guest next runs")
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 1)
        XCTAssertEqual(set.assignment.slots, [slot, nil, nil, nil])
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 1)

        set.guestReplaced(replanting: false)
        XCTAssertEqual(set.assignment.version, 0, "a new guest's threads have nothing armed")
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 1)
        XCTAssertEqual(set.assignment.slots, [slot, nil, nil, nil])

        set.removeHardware(slot)
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 2)
        XCTAssertEqual(set.assignment.slots, DebugRegisterAssignment.none)
        set.guestReplaced(replanting: false)
        set.assignHardware()
        XCTAssertEqual(set.assignment.version, 0, "no slots: a new guest's threads are left alone")
    }

    func testSyscallWritesTouchWriteAndAccessWatchpointsOnly() {
        let set = BreakpointSet()
        XCTAssertTrue(set.insertHardware(DebugRegisterSlot(address: 0x1000, length: 8, condition: .readWrite), kind: .read))
        XCTAssertTrue(set.insertHardware(DebugRegisterSlot(address: 0x2000, length: 4, condition: .write), kind: .write))
        XCTAssertTrue(set.insertHardware(DebugRegisterSlot(address: 0x3000, length: 2, condition: .readWrite), kind: .access))
        let write = { (address: UInt64, count: Int) in MemoryWrite(address: address, bytes: Array(repeating: 0, count: count)) }

        XCTAssertNil(set.watchpoint(touchedBy: [write(0x1000, 8)]), "a read watchpoint ignores writes")
        XCTAssertNil(set.watchpoint(touchedBy: [write(0x1ffc, 4), write(0x2004, 4)]), "adjacent, not overlapping")
        XCTAssertEqual(set.watchpoint(touchedBy: [write(0x1ffe, 4)])?.address, 0x2000)
        XCTAssertEqual(set.watchpoint(touchedBy: [write(0x2ff0, 0x20)])?.kind, .access)
        XCTAssertEqual(set.watchpoint(touchedBy: [write(0x0, 0x4000)])?.address, 0x2000, "the first slot touched")
    }
}
