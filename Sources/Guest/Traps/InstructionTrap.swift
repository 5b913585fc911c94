import CGuestShim
import Glibc

/// The instructions the guest kernel makes fault because their results are nondeterministic.
///
/// The raw values are the trace format's instruction kinds.
public enum TrappedInstruction: UInt8, Equatable, Sendable {
    case rdtsc = 1
    case rdtscp = 2
    case cpuid = 3

    /// Instruction length, to step over it once its result is supplied.
    public var length: UInt64 {
        switch self {
        case .rdtsc, .cpuid: return 2
        case .rdtscp: return 3
        }
    }

    /// `si_code` of the SIGSEGV that a PR_SET_TSC or ARCH_SET_CPUID fault raises.
    static let siKernel: Int32 = 0x80

    /// Recognises a trapped instruction from a SIGSEGV's siginfo and the code at `rip`.
    public static func decode(signal: Int32, siginfo: [UInt8], at rip: UInt64, memory: GuestMemory) -> TrappedInstruction? {
        guard signal == SIGSEGV, siginfo.count >= 12 else { return nil }
        let code = siginfo[8..<12].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        guard code == siKernel, let bytes = try? memory.read(rip, count: 3) else { return nil }
        switch (bytes[0], bytes[1], bytes[2]) {
        case (0x0f, 0x31, _): return .rdtsc
        case (0x0f, 0x01, 0xf9): return .rdtscp
        case (0x0f, 0xa2, _): return .cpuid
        default: return nil
        }
    }
}

/// The four registers a trapped instruction produces.
public struct TrapResult: Equatable, Sendable {
    public var rax: UInt64
    public var rbx: UInt64
    public var rcx: UInt64
    public var rdx: UInt64

    public init(rax: UInt64, rbx: UInt64, rcx: UInt64, rdx: UInt64) {
        self.rax = rax
        self.rbx = rbx
        self.rcx = rcx
        self.rdx = rdx
    }

    /// Executes the instruction natively in the recorder, with the guest's inputs.
    public static func execute(_ instruction: TrappedInstruction, registers: Registers) -> TrapResult {
        switch instruction {
        case .rdtsc:
            let tsc = rrdbg_rdtsc()
            return TrapResult(rax: tsc & 0xffff_ffff, rbx: registers.rbx, rcx: registers.rcx, rdx: tsc >> 32)
        case .rdtscp:
            var aux: UInt32 = 0
            let tsc = rrdbg_rdtscp(&aux)
            return TrapResult(rax: tsc & 0xffff_ffff, rbx: registers.rbx, rcx: UInt64(aux), rdx: tsc >> 32)
        case .cpuid:
            let leaf = UInt32(truncatingIfNeeded: registers.rax)
            let subleaf = UInt32(truncatingIfNeeded: registers.rcx)
            var out: [UInt32] = [0, 0, 0, 0]
            out.withUnsafeMutableBufferPointer { rrdbg_cpuid(leaf, subleaf, $0.baseAddress) }
            let masked = CPUIDMask.apply(leaf: leaf, subleaf: subleaf, eax: out[0], ebx: out[1], ecx: out[2], edx: out[3])
            return TrapResult(rax: UInt64(masked.0), rbx: UInt64(masked.1), rcx: UInt64(masked.2), rdx: UInt64(masked.3))
        }
    }

    /// Applies the result to the thread's registers and steps past the instruction.
    public func apply(to registers: Registers, instruction: TrappedInstruction) -> Registers {
        var updated = registers
        updated.rax = rax
        updated.rbx = rbx
        updated.rcx = rcx
        updated.rdx = rdx
        updated.rip += instruction.length
        return updated
    }
}

/// Hides CPU features whose use would make a program nondeterministic: RDRAND and RDSEED
/// (random numbers from the CPU, never seen by the guest kernel) and transactional memory
/// (RTM/HLE aborts depend on timing).
public enum CPUIDMask {
    static let rdrand: UInt32 = 1 << 30       // leaf 1, ecx
    static let rdseed: UInt32 = 1 << 18       // leaf 7/0, ebx
    static let rtm: UInt32 = 1 << 11          // leaf 7/0, ebx
    static let hle: UInt32 = 1 << 4           // leaf 7/0, ebx

    public static func apply(leaf: UInt32, subleaf: UInt32, eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32)
        -> (UInt32, UInt32, UInt32, UInt32)
    {
        switch (leaf, subleaf) {
        case (1, _): return (eax, ebx, ecx & ~rdrand, edx)
        case (7, 0): return (eax, ebx & ~(rdseed | rtm | hle), ecx, edx)
        default: return (eax, ebx, ecx, edx)
        }
    }
}
