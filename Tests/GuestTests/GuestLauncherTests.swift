import Foundation
import Syscalls
import XCTest

@testable import Guest

/// The guest kernel against a real program (/bin/true), from spawn to exec setup.
final class GuestLauncherTests: XCTestCase {
    func testResolveFindsProgramsAndReportsMissingOnes() throws {
        XCTAssertEqual(try GuestLauncher.resolve("true", searchPath: "/nonexistent:/bin"), "/bin/true")
        XCTAssertThrowsError(try GuestLauncher.resolve("no-such-program", searchPath: "/bin")) { error in
            XCTAssertEqual("\(error)", "no-such-program: command not found")
        }
        let plainFile = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-plain-\(getpid())").path
        XCTAssertTrue(FileManager.default.createFile(atPath: plainFile, contents: Data("data".utf8), attributes: [.posixPermissions: 0o644]))
        defer { unlink(plainFile) }
        XCTAssertThrowsError(try GuestLauncher.resolve(plainFile, searchPath: nil)) { error in
            XCTAssertTrue("\(error)".contains("not an executable"))
        }
    }

    func testExecSetupHidesTheVDSOAndInjectsSyscalls() throws {
        var thread = try GuestLauncher.launch(path: "/bin/true", arguments: ["true"], environment: ["A=1"])
        let pid = thread.tid
        thread = try ExecSetup.advanceToExecExit(thread)
        XCTAssertEqual(thread.stop, .syscallExit)

        let rsp = try thread.registers().rsp
        let before = try AuxiliaryVector(stackPointer: rsp, memory: thread.memory)
        XCTAssertNotNil(before.value(of: AuxiliaryVector.atRandom))
        XCTAssertNotNil(before.value(of: AuxiliaryVector.atSysinfoEhdr))
        try ExecSetup.hideVDSO(thread)
        let after = try AuxiliaryVector(stackPointer: rsp, memory: thread.memory)
        XCTAssertNil(after.value(of: AuxiliaryVector.atSysinfoEhdr))
        XCTAssertEqual(after.entries.count, before.entries.count)

        let registers = try thread.registers()
        let injected = try SyscallInjector.inject(.getpid, [], into: thread, instructionAddress: registers.rip)
        XCTAssertEqual(injected.result, Int64(pid), "getpid, injected")
        thread = injected.takeThread()
        XCTAssertEqual(try thread.registers(), registers, "injection leaves the registers as they were")

        let state = try ExecSetup.captureInitialState(thread)
        XCTAssertEqual(state.stack.count, Int(state.mappings.first { $0.path == "[stack]" }!.end - rsp))
        XCTAssertTrue(state.executablePath.hasSuffix("true"))
        XCTAssertNotNil(state.interpreterPath)
        thread.process.killAndReap()
    }

    func testMissingExecutableIsALaunchError() {
        do {
            let thread = try GuestLauncher.launch(path: "/nonexistent/program", arguments: ["x"], environment: [])
            thread.process.killAndReap()
            XCTFail("launching a missing program should fail")
        } catch {
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }

    func testGuestMemoryRoundTripsThroughReadOnlyPages() throws {
        var thread = try GuestLauncher.launch(path: "/bin/true", arguments: ["true"], environment: [])
        thread = try ExecSetup.advanceToExecExit(thread)
        let rip = try thread.registers().rip
        let original = try thread.memory.read(rip, count: 8)
        try thread.memory.write([0xcc, 0x90], at: rip)
        XCTAssertEqual(try thread.memory.read(rip, count: 2), [0xcc, 0x90], "code pages are written through /proc/PID/mem")
        try thread.memory.write(original, at: rip)
        XCTAssertEqual(try thread.memory.read(rip, count: 8), original)
        thread.process.killAndReap()
    }

    func testInjectionAndForkAtASeccompStopLeaveThePendingCallPending() throws {
        let launched = try GuestLauncher.launch(path: "/bin/true", arguments: ["true"], environment: [])
        var thread = try UnwindTestGuests.runToSyscall(try ExecSetup.advanceToExecExit(launched).resume(.cont).wait().stoppedThread()) { _ in true }
        let process = thread.process
        defer { process.killAndReap() }
        XCTAssertEqual(thread.stop, .seccomp)
        let pending = try thread.registers()
        let injected = try SyscallInjector.inject(.getpid, [], into: thread, instructionAddress: pending.rip)
        XCTAssertEqual(injected.result, Int64(process.pid), "getpid, injected in place of the pending call")
        thread = injected.takeThread()
        XCTAssertEqual(thread.stop, .seccomp)
        XCTAssertEqual(try thread.registers(), pending, "back at the same call's entry")

        let forked = try GuestFork.fork(thread)
        XCTAssertEqual(forked.original.stop, .seccomp)
        XCTAssertEqual(try forked.original.registers(), pending)
        XCTAssertEqual(forked.copy.stop, .seccomp)
        XCTAssertEqual(try forked.copy.registers(), pending, "the copy waits at the same call")
        forked.copy.process.killAndReap()
    }
}

private extension WaitOutcome {
    consuming func stoppedThread() throws -> StoppedThread {
        switch consume self {
        case .stopped(let thread): return thread
        case .ended(let exit): throw XCTSkip("the guest ended: \(exit)")
        }
    }
}
