import X86Registers

/// One entry of the outside world into the guest, as recorded.
///
/// The event stream is the whole of a recording's nondeterminism: replaying these events in
/// order, and nothing else, reproduces the program's execution. Every event carries the full
/// general-purpose register file at the moment it happened, so replay can prove it is at the
/// same point before it applies the event.
public enum TraceEvent: Equatable, Sendable {
    /// The program image was loaded: the first event of every trace.
    case exec(ExecEvent)
    /// A system call and everything the kernel returned from it.
    case syscall(SyscallEvent)
    /// A trapped `rdtsc`, `rdtscp` or `cpuid` instruction and the values it produced.
    case instruction(InstructionTrapEvent)
    /// A signal delivered to the guest.
    case signal(SignalEvent)
    /// The guest thread group ended.
    case exit(ExitEvent)
    /// A thread reached a syscall's entry and the scheduler ran other threads before the call
    /// returned (it blocked, or the thread's time was up). The call's result is that thread's
    /// next syscall event.
    case syscallEntered(SyscallEntryEvent)
    /// A thread was interrupted in user code: preempted, given an asynchronous signal, or
    /// stopped because the recording ended. The event holds its whole state there.
    case asyncPoint(AsyncPointEvent)

    /// The guest thread the event happened in.
    public var tid: Int32 {
        switch self {
        case .exec(let event): return event.tid
        case .syscall(let event): return event.tid
        case .instruction(let event): return event.tid
        case .signal(let event): return event.tid
        case .exit(let event): return event.tid
        case .syscallEntered(let event): return event.tid
        case .asyncPoint(let event): return event.tid
        }
    }
}

/// A block of guest memory written with the recorded bytes.
public struct MemoryWrite: Equatable, Sendable {
    public var address: UInt64
    public var bytes: [UInt8]

    public init(address: UInt64, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }
}

/// One mapping of the address space, as `/proc/PID/maps` shows it.
public struct MappingRecord: Equatable, Sendable {
    public var start: UInt64
    public var end: UInt64
    /// `PROT_*` bits.
    public var protection: UInt32
    /// True for `MAP_SHARED`.
    public var shared: Bool
    public var fileOffset: UInt64
    /// The path the kernel shows, or a pseudo name such as `[stack]`; empty for anonymous memory.
    public var path: String
    /// Content hash of the archived copy in `files/`, when the mapping is backed by a file.
    public var fileHash: String?

    public init(
        start: UInt64, end: UInt64, protection: UInt32, shared: Bool, fileOffset: UInt64,
        path: String, fileHash: String?
    ) {
        self.start = start
        self.end = end
        self.protection = protection
        self.shared = shared
        self.fileOffset = fileOffset
        self.path = path
        self.fileHash = fileHash
    }
}

/// The state right after `execve`: enough to rebuild the initial stack exactly
/// (argv, environment, auxv and the `AT_RANDOM` bytes) without the original files.
public struct ExecEvent: Equatable, Sendable {
    public var tid: Int32
    public var registers: RegisterFile
    /// The initial stack from `rsp` to the top of the stack mapping, after rrdbg's auxv edits.
    public var stack: MemoryWrite
    public var mappings: [MappingRecord]
    /// Hash of the archived executable in `files/`.
    public var executableHash: String
    /// Hash of the archived program interpreter (ld.so), if the program has one.
    public var interpreterHash: String?

    public init(
        tid: Int32, registers: RegisterFile, stack: MemoryWrite, mappings: [MappingRecord],
        executableHash: String, interpreterHash: String?
    ) {
        self.tid = tid
        self.registers = registers
        self.stack = stack
        self.mappings = mappings
        self.executableHash = executableHash
        self.interpreterHash = interpreterHash
    }
}

/// A file-backed `mmap` result: replay maps the archived copy at the same address.
public struct MappedFile: Equatable, Sendable {
    public var fileHash: String
    public var fileOffset: UInt64
    public var path: String

    public init(fileHash: String, fileOffset: UInt64, path: String) {
        self.fileHash = fileHash
        self.fileOffset = fileOffset
        self.path = path
    }
}

public struct SyscallEvent: Equatable, Sendable {
    public struct Flags: OptionSet, Equatable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The syscall table did not know this call (or this variant of it): its memory effects
        /// were not captured and replay may differ.
        public static let unknown = Flags(rawValue: 1 << 0)
        /// The call wrote to rrdbg's own stdout: replay prints the bytes again.
        public static let toStandardOutput = Flags(rawValue: 1 << 1)
        /// The call wrote to rrdbg's own stderr.
        public static let toStandardError = Flags(rawValue: 1 << 2)
    }

    public var tid: Int32
    /// Registers at syscall entry (`rax` is `-ENOSYS`, the number is in `orig_rax`).
    public var registers: RegisterFile
    /// The value the guest saw in `rax` when the call returned.
    public var result: Int64
    /// Memory the kernel wrote, in the order it should be applied.
    public var memoryWrites: [MemoryWrite]
    /// C strings the call read (paths and the like), by argument index, for `dump` and checks.
    public var strings: [Int: [UInt8]]
    /// Set for file-backed `mmap` calls.
    public var mappedFile: MappedFile?
    public var flags: Flags
    /// A digest of the bytes the call sent out (`write` and friends). Replay compares it with
    /// the bytes the replaying program sends, so output that differs is a divergence even when
    /// every register matches.
    public var inputDigest: UInt64?

    public init(
        tid: Int32, registers: RegisterFile, result: Int64, memoryWrites: [MemoryWrite] = [],
        strings: [Int: [UInt8]] = [:], mappedFile: MappedFile? = nil, flags: Flags = [],
        inputDigest: UInt64? = nil
    ) {
        self.tid = tid
        self.registers = registers
        self.result = result
        self.memoryWrites = memoryWrites
        self.strings = strings
        self.mappedFile = mappedFile
        self.flags = flags
        self.inputDigest = inputDigest
    }

    public var number: Int { Int(truncatingIfNeeded: registers.origRax) }
    public var arguments: [UInt64] { RegisterName.syscallArguments.map { registers[$0] } }
}

public struct InstructionTrapEvent: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        case rdtsc = 1
        case rdtscp = 2
        case cpuid = 3
    }

    public var tid: Int32
    public var kind: Kind
    /// Registers when the instruction trapped (before it executed).
    public var registers: RegisterFile
    /// What the instruction produced: rax, rbx, rcx, rdx (rbx is unused by rdtsc/rdtscp).
    public var rax: UInt64
    public var rbx: UInt64
    public var rcx: UInt64
    public var rdx: UInt64

    public init(
        tid: Int32, kind: Kind, registers: RegisterFile, rax: UInt64, rbx: UInt64, rcx: UInt64,
        rdx: UInt64
    ) {
        self.tid = tid
        self.kind = kind
        self.registers = registers
        self.rax = rax
        self.rbx = rbx
        self.rcx = rcx
        self.rdx = rdx
    }
}

public struct SignalEvent: Equatable, Sendable {
    /// Where the signal landed, which decides how replay reproduces it.
    public enum Origin: UInt8, Sendable {
        /// Raised by the instruction at `rip` (a fault); replay reproduces it by executing.
        case synchronous = 1
        /// Became pending during a syscall and was delivered on its return; replay sends it
        /// again after emulating that syscall.
        case atSyscallExit = 2
        /// Arrived while the guest ran user code; not replayable exactly without a snapshot.
        case asynchronous = 3
    }

    public var tid: Int32
    public var signal: Int32
    public var origin: Origin
    /// The raw 128-byte `siginfo_t`.
    public var siginfo: [UInt8]
    public var registers: RegisterFile

    public init(tid: Int32, signal: Int32, origin: Origin, siginfo: [UInt8], registers: RegisterFile) {
        self.tid = tid
        self.signal = signal
        self.origin = origin
        self.siginfo = siginfo
        self.registers = registers
    }
}

public struct ExitEvent: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case exited(Int32)
        case killed(signal: Int32, coreDumped: Bool)

        /// The status a shell would report: the exit code, or 128 + the signal number.
        public var shellStatus: Int32 {
            switch self {
            case .exited(let code): return code
            case .killed(let signal, _): return 128 + signal
            }
        }

        /// The numbers a killing signal can have on Linux; readers refuse others, which
        /// `shellStatus` could not represent.
        public static let signalNumbers: ClosedRange<Int32> = 1...64
    }

    public var tid: Int32
    public var status: Status

    public init(tid: Int32, status: Status) {
        self.tid = tid
        self.status = status
    }
}

/// See `TraceEvent.syscallEntered`.
public struct SyscallEntryEvent: Equatable, Sendable {
    public var tid: Int32
    /// Registers at the syscall's entry, as in the `SyscallEvent` that completes it.
    public var registers: RegisterFile

    public init(tid: Int32, registers: RegisterFile) {
        self.tid = tid
        self.registers = registers
    }
}

/// A thread's complete user-visible state at an instant in user code: its registers, its
/// extended (x87/SSE/AVX) state, and every page of writable memory the process had touched.
///
/// Between its previous event and this point the thread only ran user code, and no other
/// thread ran, so this state is a pure function of the replay so far. Replay can therefore put
/// the thread here directly instead of re-running a loop of unknown length: without a branch
/// counter there is no cheaper exact way to find such a point again.
public struct AsyncPointEvent: Equatable, Sendable {
    public enum Reason: UInt8, Sendable {
        /// The scheduler took the CPU away to run another thread.
        case preempted = 1
        /// A signal arrived; the `signal` event that follows delivers it.
        case signal = 2
        /// The recording ended here (timeout or interrupt).
        case recordingEnded = 3
    }

    public var tid: Int32
    public var reason: Reason
    public var registers: RegisterFile
    /// The raw `NT_X86_XSTATE` register set.
    public var extendedState: [UInt8]
    /// Runs of whole pages, in address order.
    public var pages: [MemoryWrite]

    public init(tid: Int32, reason: Reason, registers: RegisterFile, extendedState: [UInt8], pages: [MemoryWrite]) {
        self.tid = tid
        self.reason = reason
        self.registers = registers
        self.extendedState = extendedState
        self.pages = pages
    }
}
