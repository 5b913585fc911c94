import Glibc

/// A guest process and its copy.
@frozen
public struct ForkedGuest: ~Copyable {
    public var original: StoppedThread
    public var copy: StoppedThread
}

/// Copies a stopped single-threaded guest with a fork injected into it.
///
/// The fork is a `clone` with no flags and no exit signal: the copy never sends the guest a
/// SIGCHLD, not even when rrdbg discards it, which a program with a SIGCHLD handler would
/// otherwise see in replay and nowhere in the recording. The copy shares nothing with the original (copy-on-write memory) and is stopped in exactly
/// the original's state: same registers, same memory, same seccomp filter and traps. Kept
/// stopped, it is a checkpoint that costs little more than the pages that later change; forked
/// again, it gives a fresh guest at that point without replaying anything.
public enum GuestFork {
    static let cloneSyscall = 56

    public static func fork(_ thread: consuming StoppedThread) throws -> ForkedGuest {
        let registers = try thread.registers()
        let code = try thread.memory.read(registers.rip, count: 2)
        let injected = try SyscallInjector.inject(cloneSyscall, [0, 0, 0, 0, 0], into: thread, instructionAddress: registers.rip)
        guard let child = injected.forkedChild, injected.result > 0 else {
            throw InjectionError(description: "fork injected into the guest failed with \(injected.result)")
        }
        let process = GuestProcess(pid: child)
        let outcome = try RunningThread(process: process, tid: child).wait()
        switch consume outcome {
        case .ended(let exit):
            throw InjectionError(description: "the forked copy of the guest ended at once (\(exit))")
        case .stopped(let copy):
            // The copy returns from the injected fork inside the patched code; put it where
            // the original is, as the original was.
            try copy.memory.write(code, at: registers.rip)
            try copy.setRegisters(registers)
            return ForkedGuest(original: injected.takeThread(), copy: copy)
        }
    }
}
