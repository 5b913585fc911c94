import Glibc
import Guest
import Syscalls
import Trace

/// Calls that create threads and processes, and `execve`.
extension Recorder {
    /// Runs `clone`, `fork` or `vfork` (as a fork, see `TaskCreation`) to its exit and files the
    /// new thread or process, which waits for its turn at its first stop. These calls return
    /// promptly, so they never give up the CPU: the child's first event must follow the result.
    func recordTaskCreation(
        _ thread: consuming StoppedThread, of recorded: RecordedThread, _ call: SyscallInFlight
    ) throws -> RecordingSummary? {
        let entry = call.entry
        let rewritten = TaskCreation.forRecording(entry)
        if rewritten.values != entry.values { try thread.setRegisters(rewritten) }
        let process = thread.process
        let createsProcess = TaskCreation.createsProcess(entry)
        let tid = recorded.tid
        _ = try thread.resume(.syscall)
        while true {
            guard let outcome = try process.waitForStop(of: tid, timeout: 3600) else { continue }
            switch consume outcome {
            case .ended(let exit):
                return try threadEnded(tid, exit)
            case .stopped(let next):
                if case .event(let code) = next.stop, PtraceEventCode.creations.contains(code) {
                    let child = pid_t(truncatingIfNeeded: try next.eventMessage())
                    if createsProcess {
                        _ = process.adoptProcess(child)
                    } else {
                        process.adoptThread(child)
                    }
                    let created = threads[child] ?? threads.add(child, pid: createsProcess ? child : recorded.pid, state: .starting)
                    created.pid = createsProcess ? child : recorded.pid
                    created.creatorArguments = entry.syscallArguments
                    _ = try next.resume(.syscall)
                    continue
                }
                guard next.stop == .syscallExit else {
                    throw RecordError.guestLost("expected the exit of \(SyscallTable.name(of: entry.syscallNumber)), got \(next.stop)")
                }
                if rewritten.values != entry.values {
                    var registers = try next.registers()
                    registers.syscallArguments = entry.syscallArguments
                    try next.setRegisters(registers)
                }
                try recordExit(of: call, next, of: recorded)
                return nil
            }
        }
    }

    /// Runs `execve`. A successful one gives the process a new image, recorded as an `exec`
    /// event exactly like the first program's; a failed one is an ordinary syscall.
    func recordExec(_ thread: consuming StoppedThread, of recorded: RecordedThread, _ call: SyscallInFlight) throws -> RecordingSummary? {
        let tid = recorded.tid
        _ = try thread.resume(.syscall)
        while true {
            // Any thread: an exec ends the process's other threads, and the kernel finishes the
            // exec only once rrdbg has collected their ends.
            guard let outcome = try process.waitForAnyThread(timeout: 3600) else { continue }
            switch consume outcome {
            case .ended(let ended, let exit):
                if ended == tid { return try threadEnded(tid, exit) }
                if threads[ended]?.pid == recorded.pid {
                    threads.remove(ended)
                } else if let summary = try threadEnded(ended, exit) {
                    return summary
                }
            case .stopped(let next):
                guard next.tid == tid else {
                    park(next)
                    continue
                }
                switch next.stop {
                case .syscallExit:
                    try recordExit(of: call, next, of: recorded)
                case .exec:
                    // Other threads whose ends have not been collected yet need no event either.
                    for other in threads.threads.values where other.pid == recorded.pid && other.tid != tid {
                        threads.remove(other.tid)
                        endedByExec.insert(other.tid)
                    }
                    var image = try ExecSetup.advanceToExecExit(next)
                    try ExecSetup.hideVDSO(image)
                    image = try ExecSetup.enableCPUIDFaulting(image).takeThread()
                    try writer.append(.exec(try captureExec(image)))
                    recorded.registersAtLastSyscallExit = nil
                    try resume(image, of: recorded, signal: 0)
                default:
                    throw RecordError.guestLost("expected execve to finish, got \(next.stop)")
                }
                return nil
            }
        }
    }
}
