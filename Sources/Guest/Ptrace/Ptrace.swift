import CGuestShim
import Glibc
import System

/// The ptrace requests rrdbg uses, with their Linux numbers.
enum PtraceRequest: Int32 {
    case peekUser = 3
    case pokeUser = 6
    case cont = 7
    case singleStep = 9
    case getRegs = 12
    case setRegs = 13
    case getFPRegs = 14
    case setOptions = 0x4200
    case getEventMessage = 0x4201
    case getSigInfo = 0x4202
    case setSigInfo = 0x4203
    case getRegSet = 0x4204
    case setRegSet = 0x4205
    case syscall = 24
}

/// `PTRACE_O_*` options.
struct PtraceOptions: OptionSet {
    let rawValue: UInt64
    static let traceSysGood = PtraceOptions(rawValue: 0x01)
    static let traceFork = PtraceOptions(rawValue: 0x02)
    static let traceVFork = PtraceOptions(rawValue: 0x04)
    static let traceClone = PtraceOptions(rawValue: 0x08)
    static let traceExec = PtraceOptions(rawValue: 0x10)
    static let traceSeccomp = PtraceOptions(rawValue: 0x80)
    static let exitKill = PtraceOptions(rawValue: 0x100000)
}

/// `PTRACE_EVENT_*` codes, found in bits 16-23 of a stop's wait status.
enum PtraceEvent: Int32 {
    case fork = 1
    case vfork = 2
    case clone = 3
    case exec = 4
    case vforkDone = 5
    case exit = 6
    case seccomp = 7
}

/// Raw ptrace calls, made only where the thread is known to be stopped, which is what keeps
/// ptrace from being called on a running thread: by `StoppedThread` and its register,
/// floating-point, extended-state and debug-register extensions, and by `GuestLauncher`, which
/// sets the trace options while the new guest waits at its first SIGSTOP. Two other places call
/// ptrace without this type: `GuestProcess.reapThread` continues a dying thread's stops with
/// `rrdbg_ptrace`, and the Unwind module's `RemoteUnwinder` lets libunwind's `_UPT_*` accessors
/// read a stopped thread's registers and memory.
enum Ptrace {
    @discardableResult
    static func call(_ request: PtraceRequest, _ tid: pid_t, _ address: UInt64 = 0, _ data: UInt64 = 0) throws -> Int {
        errno = 0
        let result = rrdbg_ptrace(request.rawValue, tid, address, data)
        if result == -1 && errno != 0 {
            throw Errno.current("ptrace(\(request), \(tid))")
        }
        return result
    }

    static func withBuffer<T>(_ request: PtraceRequest, _ tid: pid_t, address: UInt64 = 0, into value: inout T) throws {
        let result = withUnsafeMutablePointer(to: &value) { pointer in
            rrdbg_ptrace(request.rawValue, tid, address, UInt64(UInt(bitPattern: pointer)))
        }
        if result == -1 { throw Errno.current("ptrace(\(request), \(tid))") }
    }
}
