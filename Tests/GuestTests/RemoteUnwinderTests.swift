import Foundation
import Glibc
import Syscalls
import XCTest

@testable import Guest
@testable import Unwind

/// The unwinder and symbolizer against real programs: one stopped under the guest kernel at a
/// syscall, one deadlocked natively and attached to afterwards.
final class RemoteUnwinderTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-unwind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func testBacktraceOfAPositionIndependentProgramBlockedInRead() throws {
        try checkBlockedRead(gccFlags: [])
    }

    func testBacktraceOfAFixedAddressProgramBlockedInRead() throws {
        try checkBlockedRead(gccFlags: ["-no-pie"])
    }

    private func checkBlockedRead(gccFlags: [String], line: UInt = #line) throws {
        let program = try UnwindTestGuests.build("blocked_read", in: scratch, flags: gccFlags)
        let launched = try GuestLauncher.launch(path: program, arguments: [program], environment: [])
        let thread = try UnwindTestGuests.runToSyscall(launched) { $0.syscall == .read && $0.rdi == 42 }
        let process = thread.process
        defer { process.killAndReap() }

        let backtrace = try RemoteUnwinder(process: process).unwind(thread.tid)
        XCTAssertEqual(backtrace.end, .outermostFrame, line: line)
        let mappings = try MemoryMap.read(pid: thread.tid)
        let executableBase = try XCTUnwrap(mappings.first { $0.path == program }?.start)
        if gccFlags.contains("-no-pie") { XCTAssertEqual(executableBase, 0x400000, line: line) }

        let frames = Symbolizer().symbolize(backtrace.frames, modules: try UnwindTestGuests.modulePaths(of: backtrace.frames, pid: thread.tid))
        let report = frames.map { "\($0.frame.moduleOffset.map { String($0, radix: 16) } ?? "-") \($0)" }.joined(separator: "\n")
        XCTAssertTrue(frames[0].modulePath?.contains("libc.so") ?? false, "innermost frame is libc's read:\n\(report)", line: line)
        XCTAssertFalse(frames[0].frame.ipIsReturnAddress, line: line)
        let callers = ["f3", "f2", "f1", "main"]
        XCTAssertEqual(Array(frames.dropFirst().prefix(4).map(\.function)), callers, report, line: line)
        for (index, function) in callers.enumerated() {
            let frame = frames[index + 1]
            XCTAssertTrue(frame.frame.ipIsReturnAddress, line: line)
            XCTAssertEqual(frame.frame.moduleBase, executableBase, function, line: line)
            XCTAssertEqual(frame.frame.moduleOffset, frame.frame.ip - executableBase, line: line)
            XCTAssertEqual(frame.modulePath, program, line: line)
            XCTAssertTrue(frame.locations.last?.file?.hasSuffix("Guests/blocked_read.c") ?? false, report, line: line)
            XCTAssertEqual(frame.locations.last?.line, try UnwindTestGuests.markedLine(function, in: "blocked_read"), function, line: line)
            XCTAssertNil(frame.problem, line: line)
        }

        // Replay maps code as anonymous memory: the images must be found without file names.
        let anonymous = mappings.map { mapping in
            var copy = mapping
            copy.path = ""
            copy.inode = 0
            return copy
        }
        let locator = ElfImageLocator(mappings: anonymous, memory: process.memory)
        for frame in backtrace.frames {
            XCTAssertEqual(locator.image(containing: frame.lookupAddress)?.loadAddress, frame.moduleBase, line: line)
        }
    }

    func testBacktraceCrossesASignalFrame() throws {
        let program = try UnwindTestGuests.build("signal_read", in: scratch)
        let launched = try GuestLauncher.launch(path: program, arguments: [program], environment: [])
        let thread = try UnwindTestGuests.runToSyscall(launched) { $0.syscall == .read && $0.rdi == 42 }
        let process = thread.process
        defer { process.killAndReap() }

        let backtrace = try RemoteUnwinder(process: process).unwind(thread.tid)
        XCTAssertEqual(backtrace.end, .outermostFrame)
        let frames = Symbolizer().symbolize(backtrace.frames, modules: try UnwindTestGuests.modulePaths(of: backtrace.frames, pid: thread.tid))
        let report = frames.map(\.description).joined(separator: "\n")
        let handler = try XCTUnwrap(frames.firstIndex { $0.function == "handler" }, report)
        XCTAssertEqual(frames[handler].locations.last?.line, try UnwindTestGuests.markedLine("handler", in: "signal_read"))
        // handler <- the signal trampoline <- the code the signal interrupted: both ips are exact.
        let trampoline = frames[handler + 1]
        XCTAssertTrue(trampoline.modulePath?.contains("libc.so") ?? false, report)
        if FileManager.default.fileExists(atPath: "/usr/lib/debug/.build-id") {
            // libc's own symbol table names the trampoline; it ships in libc6-dbg.
            XCTAssertEqual(trampoline.function, "__restore_rt", "looked up at its exact ip:\n\(report)")
        }
        XCTAssertFalse(trampoline.frame.ipIsReturnAddress, report)
        let interrupted = handler + 2
        XCTAssertFalse(frames[interrupted].frame.ipIsReturnAddress, report)
        let main = try XCTUnwrap(frames.firstIndex { $0.function == "main" }, report)
        XCTAssertGreaterThan(main, interrupted)
        XCTAssertTrue(frames[main].frame.ipIsReturnAddress)
        XCTAssertEqual(frames[main].locations.last?.line, try UnwindTestGuests.markedLine("main", in: "signal_read"))
    }

    func testFrameLimitStopsTheBacktrace() throws {
        let program = try UnwindTestGuests.build("blocked_read", in: scratch)
        let launched = try GuestLauncher.launch(path: program, arguments: [program], environment: [])
        let thread = try UnwindTestGuests.runToSyscall(launched) { $0.syscall == .read && $0.rdi == 42 }
        defer { thread.process.killAndReap() }
        let backtrace = try RemoteUnwinder(process: thread.process).unwind(thread.tid, maxFrames: 2)
        XCTAssertEqual(backtrace.frames.count, 2)
        XCTAssertEqual(backtrace.end, .frameLimit)
    }

    func testDeadlockedThreadsFormAMutexWaitCycle() throws {
        let program = try UnwindTestGuests.build("deadlock", in: scratch)
        let guest = try AttachedNativeGuest(path: program)
        let mutexes = guest.firstLine.split(separator: " ").compactMap { field in
            field.split(separator: "=").last.flatMap { UInt64($0.dropFirst(2), radix: 16) }
        }
        XCTAssertEqual(mutexes.count, 2, guest.firstLine)
        try guest.waitUntil("both workers block in futex") {
            let workers = try guest.taskIDs().filter { $0 != guest.pid }
            return workers.count == 2 && workers.allSatisfy { guest.blockedSyscall($0) == Syscall.futex.rawValue }
        }
        try guest.stopAllThreads()

        let unwinder = RemoteUnwinder(pid: guest.pid, memory: guest.memory)
        var threads: [MutexWaitGraph.Thread] = []
        for tid in guest.threads {
            let backtrace = try unwinder.unwind(tid)
            XCTAssertEqual(backtrace.end, .outermostFrame)
            let modules = try UnwindTestGuests.modulePaths(of: backtrace.frames, pid: guest.pid)
            let functions = Symbolizer().symbolize(backtrace.frames, modules: modules).map(\.function)
            let locking = functions.contains { $0.contains("pthread_mutex_lock") || $0.contains("__lll_lock_wait") }
            if tid == guest.pid {
                XCTAssertFalse(locking, "\(functions)")
                XCTAssertTrue(functions.contains("main"), "\(functions)")
            } else {
                XCTAssertTrue(locking, "\(functions)")
                XCTAssertTrue(functions.contains("lock_both"), "\(functions)")
            }
            threads.append(MutexWaitGraph.Thread(tid: tid, waitsFor: locking ? FutexWait.address(try guest.registers(tid)) : nil))
        }

        let graph = MutexWaitGraph(threads: threads) { try? GlibcMutex.owner(ofMutexAt: $0, memory: guest.memory) }
        XCTAssertEqual(graph.cycles.count, 1)
        let cycle = try XCTUnwrap(graph.cycles.first)
        let workers = guest.threads.filter { $0 != guest.pid }.sorted()
        XCTAssertEqual(cycle.map(\.waiter), workers)
        XCTAssertEqual(Set(cycle.map(\.mutex)), Set(mutexes))
        let hex = { (value: UInt64) in "0x" + String(value, radix: 16) }
        XCTAssertEqual(
            MutexWaitGraph.describe(cycle),
            "thread \(workers[0]) waits for mutex \(hex(cycle[0].mutex)) held by thread \(workers[1]), "
                + "which waits for mutex \(hex(cycle[1].mutex)) held by thread \(workers[0])")
    }
}
