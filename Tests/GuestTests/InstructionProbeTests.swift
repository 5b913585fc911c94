import Foundation
import Glibc
import Syscalls
import XCTest

@testable import Guest

/// Probes in a real guest: counting passes through a loop, trapping at a chosen pass or at a
/// chosen state, and leaving the program's own computation untouched.
final class InstructionProbeTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The fixed-address probe_loop guest and the addresses of its symbols.
    private func buildGuest() throws -> (program: String, symbols: [String: UInt64]) {
        let program = try UnwindTestGuests.build("probe_loop", in: scratch, flags: ["-no-pie"])
        return (program, try Self.symbols(of: program))
    }

    /// The guest stopped at the exit of its getppid marker, where syscalls can be injected.
    private func startGuest(_ program: String) throws -> StoppedThread {
        let launched = try GuestLauncher.launch(path: program, arguments: [program], environment: [])
        let atMarker = try UnwindTestGuests.runToSyscall(launched) { $0.syscall == .getppid }
        let outcome = try atMarker.resume(.syscall).wait()
        guard case .stopped(let exit) = consume outcome else { throw XCTSkip("the guest ended at its marker") }
        XCTAssertEqual(exit.stop, .syscallExit)
        return exit
    }

    private static func symbols(of program: String) throws -> [String: UInt64] {
        let nm = Process()
        let pipe = Pipe()
        nm.executableURL = URL(fileURLWithPath: "/usr/bin/nm")
        nm.arguments = [program]
        nm.standardOutput = pipe
        try nm.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        nm.waitUntilExit()
        var symbols: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, let address = UInt64(fields[0], radix: 16) { symbols[String(fields[2])] = address }
        }
        return symbols
    }

    /// A probe at `anchor`, with the code map of the executable mapping holding it.
    private func probe(at anchor: UInt64, in thread: borrowing StoppedThread, area: ProbeArea) throws -> InstructionProbe {
        let code = try XCTUnwrap(try CodeMap.load(around: anchor, memory: thread.memory))
        let window = try ProbeWindow.choose(anchor: anchor, code: code) { try? thread.memory.read($0, count: $1) }.get()
        return try XCTUnwrap(try InstructionProbe(window: window, area: area, memory: thread.memory))
    }

    /// Continues the guest, with a thread that stopped in `probe`'s stub moved back there from
    /// the program's view of the stop.
    private func run(_ thread: consuming StoppedThread, probe: InstructionProbe, arrivalCounted: Bool = false) throws -> StoppedThread {
        var registers = try thread.registers()
        if let inStub = probe.resumeAddress(for: registers.rip, arrivalCounted: arrivalCounted) {
            registers.rip = inStub
            try thread.setRegisters(registers)
        }
        let outcome = try thread.resume(.cont).wait()
        switch consume outcome {
        case .stopped(let stopped): return stopped
        case .ended(let exit): throw XCTSkip("the guest ended: \(exit)")
        }
    }

    func testAProbeTrapsAtATargetPassAndAtAMatchingStateWithoutChangingTheProgram() throws {
        let (program, symbols) = try buildGuest()
        var thread = try startGuest(program)
        let process = thread.process
        defer { process.killAndReap() }
        let anchor = try XCTUnwrap(symbols["wide_here"])
        let wide = try XCTUnwrap(symbols["wide"])
        let mapped = try ProbeArea.map(near: anchor, into: thread)
        let area = try XCTUnwrap(mapped.area)
        thread = mapped.takeThread()
        XCTAssertTrue(area.isReachable(from: anchor))
        let probe = try self.probe(at: anchor, in: thread, area: area)
        XCTAssertEqual(probe.window.instructions.count, 1, "a 7-byte instruction holds the jump alone")

        try probe.setTarget(1000, memory: thread.memory)
        try probe.arm(thread.memory)
        thread = try run(thread, probe: probe)
        XCTAssertEqual(thread.stop, .signal(SIGTRAP))
        XCTAssertTrue(probe.code.clonesLoop, "the stub runs its own copy of the loop")
        var registers = try thread.registers()
        XCTAssertEqual(probe.trap(at: registers.rip), .target)
        XCTAssertEqual(try probe.count(in: thread.memory), 1000)
        var view = try XCTUnwrap(try probe.programView(of: registers, memory: thread.memory))
        XCTAssertEqual(view.registers.rip, anchor)
        XCTAssertTrue(view.arrivalCounted)
        XCTAssertEqual(try thread.memory.readWord(wide), 2 + 3 * 999, "999 passes completed before the 1000th arrival")

        // Stopped, the thread is shown at the program's address; the stub may change under it.
        try thread.setRegisters(view.registers)
        try probe.setTarget(nil, memory: thread.memory)
        try probe.setChecks([ProbeCheck(.word(wide), expected: 2 + 3 * 5000)], memory: thread.memory)
        thread = try run(thread, probe: probe, arrivalCounted: true)
        registers = try thread.registers()
        XCTAssertEqual(probe.trap(at: registers.rip), .match)
        XCTAssertEqual(try probe.count(in: thread.memory), 5001)

        // With the probe counting every pass, the program computes what it computes natively.
        view = try XCTUnwrap(try probe.programView(of: registers, memory: thread.memory))
        try thread.setRegisters(view.registers)
        try probe.setChecks([], memory: thread.memory)
        thread = try run(thread, probe: probe, arrivalCounted: true)
        XCTAssertEqual(thread.stop, .seccomp, "the next stop is the program's exit")
        XCTAssertEqual(try probe.count(in: thread.memory), 100_000)
        try probe.disarm(thread.memory)
        probe.release()
        XCTAssertEqual(try thread.memory.readWord(wide), 2 + 3 * 100_000)
    }

    func testAProbeOnAShortInstructionMovesItsNeighbourAndMapsStopsBack() throws {
        let (program, symbols) = try buildGuest()
        var thread = try startGuest(program)
        let process = thread.process
        defer { process.killAndReap() }
        let anchor = try XCTUnwrap(symbols["narrow_here"])
        let mapped = try ProbeArea.map(near: anchor, into: thread)
        let area = try XCTUnwrap(mapped.area)
        thread = mapped.takeThread()
        let probe = try self.probe(at: anchor, in: thread, area: area)
        XCTAssertEqual(probe.window.instructions.map(\.length), [4, 4], "mov and add, 4 bytes each")
        XCTAssertEqual(probe.window.anchor, anchor)

        try probe.setTarget(777, memory: thread.memory)
        try probe.arm(thread.memory)
        thread = try run(thread, probe: probe)
        let registers = try thread.registers()
        XCTAssertEqual(probe.trap(at: registers.rip), .target)
        let view = try XCTUnwrap(try probe.programView(of: registers, memory: thread.memory))
        XCTAssertEqual(view.registers.rip, anchor)
        // Continue from the program's view of the stop, with the probe disarmed: single steps
        // run the program's own instructions.
        try probe.disarm(thread.memory)
        try thread.setRegisters(view.registers)
        let stepped = try thread.resume(.singleStep).wait()
        guard case .stopped(let next) = consume stepped else { return XCTFail("the guest ended") }
        XCTAssertEqual(try next.registers().rip, anchor + 4)
        thread = next
        // Unmapped, the area leaves the address space as it was.
        let before = try MemoryMap.read(pid: thread.tid).count
        thread = try area.unmap(from: thread)
        XCTAssertEqual(try MemoryMap.read(pid: thread.tid).count, before - 1)
        probe.release()
        let end = try thread.resume(.cont).wait()
        if case .stopped(let last) = consume end { XCTAssertEqual(last.stop, .seccomp) }
    }

    func testAreasArePlacedInHolesWithinReach() {
        func mapping(_ start: UInt64, _ end: UInt64) -> MemoryMapping {
            MemoryMapping(start: start, end: end, readable: true, writable: false, executable: true, shared: false, offset: 0, inode: 0, path: "")
        }
        let code: UInt64 = 0x5555_5555_4000
        let mappings = [mapping(code, code + 0x10000), mapping(code + 0x10000 + 0x1000, code + 0x40000), mapping(0x7fff_f7d0_0000, 0x7fff_f7f0_0000)]
        let placed = ProbeArea.placement(near: code + 0x100, mappings: mappings)
        let area = try! XCTUnwrap(placed)
        XCTAssertEqual(area % ProbeArea.pageSize, 0)
        for existing in mappings {
            XCTAssertFalse((existing.start..<existing.end).overlaps(area..<area + ProbeArea.size))
            XCTAssertTrue(area + ProbeArea.size + ProbeArea.clearance <= existing.start || area >= existing.end + ProbeArea.clearance)
        }
        XCTAssertLessThan(area > code ? area - code : code - area, 1 << 31)
        // Nothing within 2 GiB is free: no placement.
        XCTAssertNil(ProbeArea.placement(near: 0x4000_0000, mappings: [mapping(0x10000, 0x1_0000_0000)]))
    }
}
