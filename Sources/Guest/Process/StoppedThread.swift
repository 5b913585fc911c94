import CGuestShim
import Glibc
import System

/// How to resume a stopped thread.
public enum ResumeMode: Sendable {
    /// Run until the next stop (seccomp, signal, exec, exit): `PTRACE_CONT`.
    case cont
    /// Run until the next syscall entry or exit stop.
    case syscall
    /// Execute one instruction.
    case singleStep
}

/// A guest thread in a ptrace stop, the only state in which ptrace may touch it.
///
/// The type is non-copyable and `resume` consumes it, so code that reads registers from a thread
/// it has already resumed does not compile. Everything that needs a stopped thread takes one.
public struct StoppedThread: ~Copyable {
    public let process: GuestProcess
    public let tid: pid_t
    public let stop: Stop

    init(process: GuestProcess, tid: pid_t, stop: Stop) {
        self.process = process
        self.tid = tid
        self.stop = stop
    }

    public var memory: GuestMemory { process.memory }

    public func registers() throws -> Registers {
        var raw = user_regs_struct()
        try Ptrace.withBuffer(.getRegs, tid, into: &raw)
        return Registers(raw)
    }

    public func setRegisters(_ registers: Registers) throws {
        var raw = registers.raw
        try Ptrace.withBuffer(.setRegs, tid, into: &raw)
    }

    /// The raw 128-byte `siginfo_t` of the signal being delivered.
    public func signalInfo() throws -> [UInt8] {
        var info = [UInt8](repeating: 0, count: 128)
        let result = info.withUnsafeMutableBytes { buffer in
            rrdbg_ptrace(PtraceRequest.getSigInfo.rawValue, tid, 0, UInt64(UInt(bitPattern: buffer.baseAddress)))
        }
        if result == -1 { throw Errno.current("ptrace(PTRACE_GETSIGINFO, \(tid))") }
        return info
    }

    public func setSignalInfo(_ info: [UInt8]) throws {
        precondition(info.count == 128)
        var copy = info
        let result = copy.withUnsafeMutableBytes { buffer in
            rrdbg_ptrace(PtraceRequest.setSigInfo.rawValue, tid, 0, UInt64(UInt(bitPattern: buffer.baseAddress)))
        }
        if result == -1 { throw Errno.current("ptrace(PTRACE_SETSIGINFO, \(tid))") }
    }

    /// Whether signals are queued for the thread or its process in the kernel (`SigPnd` and
    /// `ShdPnd` in /proc): a syscall injected now would stop at their delivery, and a fork
    /// would not copy them.
    public func hasQueuedSignals() throws -> Bool {
        let status = String(decoding: try ProcFile.read("/proc/\(process.pid)/task/\(tid)/status"), as: UTF8.self)
        return status.split(separator: "\n").contains { line in
            guard line.hasPrefix("SigPnd:") || line.hasPrefix("ShdPnd:") else { return false }
            let mask = line.dropFirst(7).filter { !$0.isWhitespace }
            return UInt64(mask, radix: 16).map { $0 != 0 } ?? false
        }
    }

    /// `PTRACE_GETEVENTMSG`: the new process's pid at a fork event stop.
    public func eventMessage() throws -> UInt64 {
        var message: UInt = 0
        try Ptrace.withBuffer(.getEventMessage, tid, into: &message)
        return UInt64(message)
    }

    /// Resumes the thread, delivering `signal` if it is non-zero.
    public consuming func resume(_ mode: ResumeMode, signal: Int32 = 0) throws -> RunningThread {
        let request: PtraceRequest
        switch mode {
        case .cont: request = .cont
        case .syscall: request = .syscall
        case .singleStep: request = .singleStep
        }
        try Ptrace.call(request, tid, 0, UInt64(signal))
        return RunningThread(process: process, tid: tid)
    }
}

/// A guest thread that may be running: it can only be waited for.
public struct RunningThread: ~Copyable {
    public let process: GuestProcess
    public let tid: pid_t

    /// Waits for the thread's next stop, or its end.
    public consuming func wait() throws -> WaitOutcome {
        try process.waitForStop(of: tid)
    }
}

/// What waiting for a running thread produced.
public enum WaitOutcome: ~Copyable {
    case stopped(StoppedThread)
    case ended(GuestExit)
}

/// What waiting for any thread of a guest produced.
public enum ThreadOutcome: ~Copyable {
    case stopped(StoppedThread)
    /// Thread `tid` ended; when it is the main thread, the whole guest has.
    case ended(tid: pid_t, GuestExit)
}
