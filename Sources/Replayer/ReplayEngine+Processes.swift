import Glibc
import Guest
import Syscalls
import Trace

/// Processes in replay: creating threads and processes, replacing a process's image, and the
/// ends of threads and processes.
extension ReplayEngine {
    /// Replays `clone`, `fork` or `vfork`: the kernel creates the thread or process (see
    /// `TaskCreation` for how), and the program sees the recorded id, both as the result and
    /// where the recording's kernel stored it.
    func createTask(_ stopped: consuming StoppedThread, _ recorded: SyscallEvent, index: Int, then: Continuation) throws -> Applied {
        let what = EventDescription.kind(of: .syscall(recorded))
        let entry = try stopped.registers()
        try RegisterCheck.require(entry, equal: recorded.registers, event: index, what: what)
        guard let parentThread = threads[recorded: recorded.tid] else {
            throw ReplayError.unreplayable(event: index, reason: "thread \(recorded.tid) is unknown")
        }
        let rewritten = TaskCreation.forReplay(entry)
        if rewritten.values != entry.values { try stopped.setRegisters(rewritten) }
        let createsProcess = TaskCreation.createsProcess(entry)
        let process = stopped.process
        let parent = stopped.tid
        _ = try stopped.resume(.syscall)
        var child: pid_t?
        while true {
            guard let outcome = try process.waitForStop(of: parent, timeout: 3600) else { continue }
            switch consume outcome {
            case .ended(let exit):
                return .ended(exit)
            case .stopped(let next):
                if case .event(let code) = next.stop, PtraceEventCode.creations.contains(code) {
                    child = pid_t(truncatingIfNeeded: try next.eventMessage())
                    _ = try next.resume(.syscall)
                    continue
                }
                guard next.stop == .syscallExit, let child else {
                    throw ReplayError.diverged(event: index, what: what, expected: "a new task", got: "\(next.stop)")
                }
                var registers = try next.registers()
                guard !SyscallResult.isError(registers.syscallResult) else {
                    throw ReplayError.diverged(
                        event: index, what: what, expected: "task \(recorded.result)", got: "result \(registers.syscallResult)")
                }
                registers.rax = UInt64(bitPattern: recorded.result)
                registers.syscallArguments = entry.syscallArguments
                try next.setRegisters(registers)
                try syscalls.writeRecordedOutputs(of: recorded, to: next.memory)
                let recordedChild = Int32(truncatingIfNeeded: recorded.result)
                let childProcess = createsProcess ? process.adoptProcess(child) : process
                if createsProcess {
                    observer?.processCreated(childProcess.memory)
                } else {
                    process.adoptThread(child)
                }
                try adoptNewTask(
                    child, recordedTid: recordedChild, pid: createsProcess ? recordedChild : parentThread.pid,
                    process: childProcess, creator: entry, event: index)
                switch then {
                case .resume(let mode): return .running(try next.resume(mode))
                case .pause: return .paused(next, pendingSignal: 0)
                }
            }
        }
    }

    /// Waits for a new task's first stop, gives it what the recording's child saw (its
    /// creating call's own arguments, and its recorded id where `CLONE_CHILD_SETTID` asked the
    /// kernel to store it) and parks it under its recorded id.
    private func adoptNewTask(
        _ tid: pid_t, recordedTid: Int32, pid: Int32, process: GuestProcess, creator: Registers, event: Int
    ) throws {
        guard let outcome = try process.waitForStop(of: tid, timeout: 10) else {
            throw ReplayError.unreplayable(event: event, reason: "the new task \(recordedTid) did not start")
        }
        switch consume outcome {
        case .ended:
            throw ReplayError.unreplayable(event: event, reason: "the new task \(recordedTid) died at once")
        case .stopped(let first):
            var registers = try first.registers()
            registers.syscallArguments = creator.syscallArguments
            try first.setRegisters(registers)
            let flags = creator.syscallArguments[0]
            if creator.syscall == .clone, flags & CloneFlags.childSetTID != 0 {
                try first.memory.write(withUnsafeBytes(of: recordedTid.littleEndian, Array.init), at: creator.syscallArguments[3])
            }
            threads.add(recordedTid: recordedTid, realTid: tid, pid: pid, process: process)
            park(first, signal: 0)
        }
    }

    /// Replays a successful `execve`: the process runs the trace's copy of the program that
    /// was executed, and starts in the recorded initial state.
    func replaceImage(_ stopped: consuming StoppedThread, _ exec: ExecEvent, index: Int, then: Continuation) throws -> Applied {
        var registers = try stopped.registers()
        guard SyscallTable.descriptor(for: registers.syscallNumber)?.replay == .replaceImage else {
            throw ReplayError.diverged(
                event: index, what: "exec", expected: "execve", got: SyscallTable.name(of: registers.syscallNumber))
        }
        let path = Array(try trace.checkedPath(forFile: exec.executableHash).utf8) + [0]
        let address = try scratchBelowStack(of: stopped, bytes: path.count, event: index)
        try stopped.memory.write(path, at: address)
        var arguments = registers.syscallArguments
        if registers.syscall == .execveat {
            arguments[0] = UInt64(bitPattern: Int64(Self.atFDCWD))
            arguments[1] = address
            arguments[4] = 0
        } else {
            arguments[0] = address
        }
        registers.syscallArguments = arguments
        try stopped.setRegisters(registers)
        let process = stopped.process
        let tid = stopped.tid
        _ = try stopped.resume(.syscall)
        // The exec ends the process's other threads, and completes once they are collected.
        if let execing = threads.recordedTid(ofReal: tid), let pid = threads[recorded: execing]?.pid {
            for other in threads.all where other.pid == pid && other.recordedTid != execing {
                // Stopped or not, the kernel's SIGKILL ends it.
                _ = other.parked.take()
                _ = other.process.reapThread(other.realTid)
                threads.remove(recordedTid: other.recordedTid)
            }
        }
        guard let outcome = try process.waitForStop(of: tid, timeout: 3600) else {
            throw ReplayError.unreplayable(event: index, reason: "execve did not return")
        }
        switch consume outcome {
        case .ended(let exit):
            return .ended(exit)
        case .stopped(let execStop):
            guard execStop.stop == .exec else {
                throw ReplayError.diverged(
                    event: index, what: "exec", expected: "the trace's copy of \(exec.mappings.first?.path ?? "the program") to start",
                    got: "\(execStop.stop), result \(try execStop.registers().syscallResult)")
            }
            let image = try becomeRecordedImage(execStop, exec, event: index)
            switch then {
            case .resume(let mode): return .running(try image.resume(mode))
            case .pause: return .paused(image, pendingSignal: 0)
            }
        }
    }

    static let atFDCWD: Int32 = -100

    /// Room for `bytes` bytes in the thread's stack mapping well below its stack pointer, which
    /// a successful exec throws away with the rest of the old image.
    private func scratchBelowStack(of thread: borrowing StoppedThread, bytes: Int, event: Int) throws -> UInt64 {
        let rsp = try thread.registers().rsp
        let address = (rsp &- 1024 &- UInt64(bytes)) & ~15
        let stack = try MemoryMap.read(pid: thread.process.pid).first { $0.start <= rsp && rsp < $0.end }
        guard let stack, address >= stack.start else {
            throw ReplayError.unreplayable(event: event, reason: "no room below the stack to name the program to execute")
        }
        return address
    }

    /// `exit` or `exit_group` was let run: waits for the thread (or its whole process) to be
    /// gone, then goes on with the other threads.
    func threadExiting(_ applied: consuming Applied, _ recorded: SyscallEvent, index: Int) throws -> Applied {
        guard case .running(let running) = consume applied else {
            throw ReplayError.unreplayable(event: index, reason: "exit did not run")
        }
        guard let thread = threads[recorded: recorded.tid] else {
            throw ReplayError.unreplayable(event: index, reason: "thread \(recorded.tid) is unknown")
        }
        let wholeProcess = Syscall(rawValue: recorded.number) == .exit_group || threads.all.filter { $0.pid == thread.pid }.count == 1
        if !wholeProcess {
            if thread.realTid != running.process.pid {
                // Wait until the thread is gone, so the kernel's store to its clear-tid word is done.
                let outcome = try running.wait()
                switch consume outcome {
                case .ended: break
                case .stopped(let stray):
                    throw ReplayError.diverged(event: index, what: "exit", expected: "the thread to end", got: "\(stray.stop)")
                }
            }
            threads.remove(recordedTid: recorded.tid)
            return try dispatch(.cont)
        }
        return try processEnded(thread.pid)
    }

    /// A thread died outside an exit call (`exit` is how it ended, already reaped): a fatal
    /// signal kills its whole process.
    func threadDied(_ tid: pid_t, _ exit: GuestExit) throws -> Applied {
        guard let recorded = threads.recordedTid(ofReal: tid), let thread = threads[recorded: recorded] else {
            throw ReplayError.unreplayable(event: cursor.index, reason: "an unknown thread \(tid) ended")
        }
        return try processEnded(thread.pid, reaped: [tid: exit])
    }

    /// Reaps every thread of process `pid`, main thread last, remembers how it ended for its
    /// `exit` event, and goes on with the other processes. `reaped` holds threads already reaped.
    private func processEnded(_ pid: Int32, reaped: [pid_t: GuestExit] = [:]) throws -> Applied {
        let members = threads.all.filter { $0.pid == pid }
        var status: GuestExit?
        for member in members.sorted(by: { ($0.recordedTid == pid ? 1 : 0) < ($1.recordedTid == pid ? 1 : 0) }) {
            if let parked = member.parked.take() { _ = try? parked.resume(.cont) }
            let exit = reaped[member.realTid] ?? member.process.reapThread(member.realTid)
            if member.recordedTid == pid { status = exit }
            threads.remove(recordedTid: member.recordedTid)
        }
        endedProcesses[pid] = status ?? .killed(signal: SIGKILL, coreDumped: false)
        return try dispatch(.cont)
    }
}
