import Glibc
import Syscalls

/// The guest right after `execve`, before its first instruction.
public struct InitialState {
    public var registers: Registers
    /// The stack from `rsp` up to the top of the `[stack]` mapping.
    public var stack: [UInt8]
    public var mappings: [MemoryMapping]
    /// `/proc/PID/exe` at exec.
    public var executablePath: String
    /// The program interpreter (ld.so), if one was mapped.
    public var interpreterPath: String?
}

/// Why the guest could not be prepared at exec.
public struct ExecSetupError: Error, CustomStringConvertible {
    public var description: String
}

/// What the guest kernel does to every new program image so that it runs deterministically.
public enum ExecSetup {
    static let archSetCPUID: UInt64 = 0x1012

    /// From the exec stop, lets `execve` finish: at its syscall-exit stop register changes
    /// stick, which the other steps and replay's register restore rely on.
    public static func advanceToExecExit(_ thread: consuming StoppedThread) throws -> StoppedThread {
        guard thread.stop == .exec else {
            throw ExecSetupError(description: "expected an exec stop, got \(thread.stop)")
        }
        let outcome = try thread.resume(.syscall).wait()
        switch consume outcome {
        case .ended(let exit):
            throw ExecSetupError(description: "the program ended at exec (\(exit))")
        case .stopped(let next):
            guard next.stop == .syscallExit else {
                throw ExecSetupError(description: "expected execve's syscall exit, got \(next.stop)")
            }
            return next
        }
    }

    /// Asks the kernel to make `cpuid` fault so its results can be recorded and replayed
    /// (`ARCH_SET_CPUID`). The kernel clears this at every exec, so it is set per image. The
    /// result is -ENODEV on CPUs without cpuid faulting (many VMs), which callers must handle.
    public static func enableCPUIDFaulting(_ thread: consuming StoppedThread) throws -> InjectedSyscall {
        let rip = try thread.registers().rip
        return try SyscallInjector.inject(.arch_prctl, [archSetCPUID, 0], into: thread, instructionAddress: rip)
    }

    /// Hides the vDSO from the guest by turning its auxv entry into `AT_IGNORE`, so glibc's
    /// time functions make real (trapped) syscalls instead of reading the clock in user space.
    public static func hideVDSO(_ thread: borrowing StoppedThread) throws {
        let auxv = try AuxiliaryVector(stackPointer: try thread.registers().rsp, memory: thread.memory)
        for entry in auxv.entries where entry.type == AuxiliaryVector.atSysinfoEhdr {
            try thread.memory.write(withUnsafeBytes(of: AuxiliaryVector.atIgnore.littleEndian, Array.init), at: entry.address)
        }
    }

    /// Captures what replay needs to rebuild this exact starting point.
    public static func captureInitialState(_ thread: borrowing StoppedThread) throws -> InitialState {
        let registers = try thread.registers()
        let mappings = try MemoryMap.read(pid: thread.tid)
        guard let stackMapping = mappings.first(where: { $0.start <= registers.rsp && registers.rsp < $0.end }) else {
            throw ExecSetupError(description: "no mapping holds the initial stack pointer 0x\(String(registers.rsp, radix: 16))")
        }
        let stack = try thread.memory.read(registers.rsp, count: Int(stackMapping.end - registers.rsp))
        let executable = try ProcFile.readLink("/proc/\(thread.tid)/exe")
        let interpreter = mappings.first { $0.isFileBacked && $0.path != executable }?.path
        return InitialState(
            registers: registers, stack: stack, mappings: mappings, executablePath: executable,
            interpreterPath: interpreter)
    }
}
