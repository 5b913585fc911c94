import Glibc
import Syscalls

/// A guest process and its copy.
@frozen
public struct ForkedGuest: ~Copyable {
    public var original: StoppedThread
    public var copy: StoppedThread
}

/// Copies a stopped single-threaded guest with a fork injected into it.
///
/// The fork is a `clone` with `CLONE_PARENT`: the copy is a child of the guest's parent, not of
/// the guest, so the guest never sees it (no SIGCHLD, nothing for `wait`), and a copy rrdbg
/// discards is reaped by rrdbg itself instead of staying a zombie under the guest for as long
/// as the guest lives. The copy shares nothing with the original (copy-on-write memory) and is stopped in exactly
/// the original's state: same registers, same memory, same seccomp filter and traps. Kept
/// stopped, it is a checkpoint that costs little more than the pages that later change; forked
/// again, it gives a fresh guest at that point without replaying anything.
public enum GuestFork {
    static let cloneParent: UInt64 = 0x8000

    /// Forks `thread`'s process. `pendingSignal`, when not 0, is a signal the thread is
    /// stopped to take (the caller delivers it by resuming with it): the original and the copy
    /// are then both left at a signal-delivery stop with that signal's siginfo, because
    /// resuming with a signal from any other kind of stop makes the kernel queue it anew, and
    /// deliver it a second time.
    public static func fork(_ thread: consuming StoppedThread, pendingSignal: Int32 = 0) throws -> ForkedGuest {
        let info = pendingSignal != 0 ? try thread.signalInfo() : nil
        let forked = try fork(thread)
        guard let info else { return forked }
        let original = try awaitingSignal(forked.original, info: info)
        return ForkedGuest(original: original, copy: try awaitingSignal(forked.copy, info: info))
    }

    /// `thread` at a signal-delivery stop whose siginfo is `info`: resumed with that signal, it
    /// takes it as `info` says. From another kind of stop it goes there through a SIGSTOP,
    /// which the delivery replaces.
    private static func awaitingSignal(_ thread: consuming StoppedThread, info: [UInt8]) throws -> StoppedThread {
        var current = thread
        if case .signal = current.stop, (try? current.signalInfo()) != nil {
            try current.setSignalInfo(info)
            return current
        }
        try current.process.signalThread(current.tid, SIGSTOP)
        let outcome = try current.resume(.cont).wait()
        switch consume outcome {
        case .ended(let exit):
            throw InjectionError(description: "the guest ended (\(exit)) while it was made to wait for a signal again")
        case .stopped(let stopped):
            guard stopped.stop == .signal(SIGSTOP) else {
                throw InjectionError(description: "the guest stopped at \(stopped.stop) instead of waiting for a signal again")
            }
            try stopped.setSignalInfo(info)
            current = stopped
        }
        return current
    }

    private static func fork(_ thread: consuming StoppedThread) throws -> ForkedGuest {
        let registers = try thread.registers()
        let original = thread.stop
        let code = try thread.memory.read(registers.rip, count: 2)
        let injected = try SyscallInjector.inject(.clone, [cloneParent, 0, 0, 0, 0], into: thread, instructionAddress: registers.rip)
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
            guard original == .seccomp else {
                try copy.setRegisters(registers)
                return ForkedGuest(original: injected.takeThread(), copy: copy)
            }
            // The original waits at a call's seccomp stop: the copy enters the same call.
            return ForkedGuest(original: injected.takeThread(), copy: try SyscallInjector.reenter(registers, copy))
        }
    }
}
