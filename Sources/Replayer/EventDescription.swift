import Guest
import Syscalls
import Trace

/// Short human descriptions of events and stops, for divergence messages.
enum EventDescription {
    static func kind(of event: TraceEvent) -> String {
        switch event {
        case .exec: return "exec"
        case .syscall(let syscall): return "syscall \(SyscallTable.name(of: syscall.number))"
        case .instruction(let trap): return "\(trap.kind)"
        case .signal(let signal): return "signal \(SyscallFormatter.signalName(Int(signal.signal)))"
        case .exit: return "exit"
        case .syscallEntered(let entry): return "entry of syscall \(SyscallTable.name(of: Int(truncatingIfNeeded: entry.registers.origRax)))"
        case .asyncPoint(let point): return "async point (\(point.reason))"
        }
    }

    static func event(_ event: TraceEvent) -> String {
        switch event {
        case .syscall(let syscall):
            return "\(SyscallTable.name(of: syscall.number)) at rip=0x\(String(syscall.registers.rip, radix: 16))"
        case .instruction(let trap):
            return "\(trap.kind) at rip=0x\(String(trap.registers.rip, radix: 16))"
        case .signal(let signal):
            return "\(SyscallFormatter.signalName(Int(signal.signal))) at rip=0x\(String(signal.registers.rip, radix: 16))"
        case .exit(let exit):
            return "exit (\(exit.status))"
        case .exec:
            return "exec"
        case .syscallEntered(let entry):
            return "\(SyscallTable.name(of: Int(truncatingIfNeeded: entry.registers.origRax))) at rip=0x\(String(entry.registers.rip, radix: 16))"
        case .asyncPoint(let point):
            return "thread \(point.tid) at rip=0x\(String(point.registers.rip, radix: 16))"
        }
    }

    static func stop(_ thread: borrowing StoppedThread) throws -> String {
        let registers = try thread.registers()
        let rip = "rip=0x\(String(registers.rip, radix: 16))"
        switch thread.stop {
        case .seccomp: return "\(SyscallTable.name(of: registers.syscallNumber)) at \(rip)"
        case .signal(let signal): return "\(SyscallFormatter.signalName(Int(signal))) at \(rip)"
        case let other: return "\(other) at \(rip)"
        }
    }
}
