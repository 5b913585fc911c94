import Foundation
import Glibc
import XCTest

@testable import Guest
@testable import Unwind

/// The C programs in `Tests/GuestTests/Guests`, compiled for the unwinder tests.
enum UnwindTestGuests {
    static let sourceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Guests")

    static func sourcePath(_ name: String) -> String {
        sourceDirectory.appendingPathComponent("\(name).c").path
    }

    /// Compiles `name.c` with `gcc -g -O0` plus `flags` into `directory`.
    static func build(_ name: String, in directory: URL, flags: [String] = []) throws -> String {
        let output = directory.appendingPathComponent(name + flags.joined()).path
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        gcc.arguments = ["-g", "-O0"] + flags + ["-o", output, sourcePath(name), "-pthread"]
        try gcc.run()
        gcc.waitUntilExit()
        guard gcc.terminationStatus == 0 else { throw XCTSkip("gcc could not build \(name).c") }
        return output
    }

    /// The line of `name.c` holding the comment `line:<marker>`.
    static func markedLine(_ marker: String, in name: String) throws -> Int {
        let lines = try String(contentsOfFile: sourcePath(name), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let index = try XCTUnwrap(lines.firstIndex { $0.contains("line:\(marker) ") }, "no line:\(marker) in \(name).c")
        return index + 1
    }

    /// Runs a guest launched under the guest kernel until it enters a syscall that `isTarget`
    /// accepts, emulating the rdtsc/cpuid traps on the way, and returns it stopped there.
    static func runToSyscall(_ thread: consuming StoppedThread, where isTarget: (Registers) -> Bool) throws -> StoppedThread {
        var current = thread
        while true {
            var signal: Int32 = 0
            var registers = try current.registers()
            switch current.stop {
            case .seccomp where isTarget(registers):
                return current
            case .signal(let number):
                if let trapped = TrappedInstruction.decode(
                    signal: number, siginfo: try current.signalInfo(), at: registers.rip, memory: current.memory) {
                    registers = TrapResult.execute(trapped, registers: registers).apply(to: registers, instruction: trapped)
                    try current.setRegisters(registers)
                } else {
                    signal = number
                }
            default:
                break
            }
            let outcome = try current.resume(.cont, signal: signal).wait()
            switch consume outcome {
            case .stopped(let next): current = next
            case .ended(let exit): throw XCTSkip("the guest ended before the expected syscall: \(exit)")
            }
        }
    }

    /// The file mapped at each module base, for a live guest whose maps still name its files.
    static func modulePaths(of frames: [UnwoundFrame], pid: pid_t) throws -> [UInt64: String] {
        let bases = Set(frames.compactMap(\.moduleBase))
        var paths: [UInt64: String] = [:]
        for mapping in try MemoryMap.read(pid: pid) where bases.contains(mapping.start) && mapping.isFileBacked {
            paths[mapping.start] = mapping.path
        }
        return paths
    }
}
