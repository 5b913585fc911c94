import CZydis

/// One decoded x86-64 instruction: its length, where control goes after it, and what must be
/// adjusted to execute a copy of it at another address.
///
/// Probes displace a few instructions of the program into a stub elsewhere in memory, so each
/// one must behave the same there. Plain instructions do; RIP-relative operands need their
/// displacement moved; relative jumps are re-encoded to reach the same target; and anything
/// that traps to rrdbg, pushes its own address or depends on where it runs is not moved at all.
public struct X86Instruction: Equatable, Sendable {
    public let address: UInt64
    public let bytes: [UInt8]

    /// Where execution goes after this instruction.
    public enum Flow: Equatable, Sendable {
        /// The next instruction, and nowhere else.
        case next
        /// A `jmp` with a relative target.
        case jump(target: UInt64)
        /// A conditional jump (`jcc`) with a relative target; `condition` is its 4-bit code.
        case conditionalJump(target: UInt64, condition: UInt8)
        /// A call with a relative target (its return address is the next instruction).
        case call(target: UInt64)
        /// Anywhere: a return, or a jump or call through a register or memory.
        case indirect
        /// A relative branch that cannot be re-encoded with a 32-bit displacement (`loop`,
        /// `jrcxz`, `xbegin`).
        case shortOnlyBranch(target: UInt64)
    }

    public let flow: Flow
    /// The offset of a 32-bit RIP-relative displacement in `bytes`, if the instruction has one.
    public let ripDisplacementOffset: Int?
    /// True for instructions that stop in rrdbg (syscalls, rdtsc, cpuid, int3, ud2), change
    /// privilege or transaction state, or whose result depends on where they execute: they
    /// must run where the program has them.
    public let staysInPlace: Bool

    public var length: Int { bytes.count }
    public var end: UInt64 { address &+ UInt64(bytes.count) }

    /// The target of a direct jump, conditional jump or call, which makes it a place other
    /// code can arrive at.
    public var branchTarget: UInt64? {
        switch flow {
        case .jump(let target), .conditionalJump(let target, _), .call(let target), .shortOnlyBranch(let target):
            return target
        case .next, .indirect:
            return nil
        }
    }

    /// Whether a copy of the instruction can run at another address: as it is, with its
    /// RIP-relative displacement adjusted, or (for jumps) re-encoded.
    public var isRelocatable: Bool {
        guard !staysInPlace else { return false }
        switch flow {
        case .next, .jump, .conditionalJump: return true
        case .call, .indirect, .shortOnlyBranch: return false
        }
    }

    /// Decodes the instruction at the start of `bytes`, which were read at `address`; nil if
    /// they do not start with a valid instruction.
    public static func decode(_ bytes: ArraySlice<UInt8>, at address: UInt64) -> X86Instruction? {
        var instruction = ZydisDecodedInstruction()
        let decoded = bytes.withUnsafeBytes { buffer in
            buffer.baseAddress.map { X86Decoder.shared.decode($0, count: buffer.count, into: &instruction) } ?? false
        }
        guard decoded else { return nil }
        let length = Int(instruction.length)
        let copied = Array(bytes.prefix(length))
        let end = address &+ UInt64(length)
        return X86Instruction(
            address: address, bytes: copied, flow: flow(of: instruction, end: end),
            ripDisplacementOffset: ripDisplacementOffset(of: instruction),
            staysInPlace: staysInPlace(instruction))
    }

    init(address: UInt64, bytes: [UInt8], flow: Flow, ripDisplacementOffset: Int?, staysInPlace: Bool) {
        self.address = address
        self.bytes = bytes
        self.flow = flow
        self.ripDisplacementOffset = ripDisplacementOffset
        self.staysInPlace = staysInPlace
    }

    private static func flow(of instruction: ZydisDecodedInstruction, end: UInt64) -> Flow {
        let category = instruction.meta.category
        let relative = instruction.attributes & UInt64(ZYDIS_ATTRIB_IS_RELATIVE) != 0
        let immediate = instruction.raw.imm.0
        let target = end &+ UInt64(bitPattern: immediate.value.s)
        switch category {
        case ZYDIS_CATEGORY_RET:
            return .indirect
        case ZYDIS_CATEGORY_CALL:
            return relative && immediate.is_relative != 0 ? .call(target: target) : .indirect
        case ZYDIS_CATEGORY_UNCOND_BR:
            return relative && immediate.is_relative != 0 ? .jump(target: target) : .indirect
        case ZYDIS_CATEGORY_COND_BR:
            guard relative, immediate.is_relative != 0 else { return .indirect }
            if let condition = jccCondition(instruction) { return .conditionalJump(target: target, condition: condition) }
            return .shortOnlyBranch(target: target)
        default:
            // xbegin's fallback address is relative too.
            if relative, immediate.is_relative != 0 { return .shortOnlyBranch(target: target) }
            return .next
        }
    }

    /// The condition code of a `jcc` (opcode 0x70+cc, or 0x0f 0x80+cc), or nil for the other
    /// conditional branches (`loop`, `jrcxz`).
    private static func jccCondition(_ instruction: ZydisDecodedInstruction) -> UInt8? {
        let opcode = instruction.opcode
        switch instruction.opcode_map {
        case ZYDIS_OPCODE_MAP_DEFAULT where (0x70...0x7f).contains(opcode): return opcode & 0x0f
        case ZYDIS_OPCODE_MAP_0F where (0x80...0x8f).contains(opcode): return opcode & 0x0f
        default: return nil
        }
    }

    /// ModRM with mod 00 and r/m 101 addresses RIP + disp32 in 64-bit mode.
    private static func ripDisplacementOffset(of instruction: ZydisDecodedInstruction) -> Int? {
        guard instruction.attributes & UInt64(ZYDIS_ATTRIB_HAS_MODRM) != 0,
              instruction.raw.modrm.mod == 0, instruction.raw.modrm.rm == 5, instruction.raw.disp.size == 32
        else { return nil }
        return Int(instruction.raw.disp.offset)
    }

    private static let trappingMnemonics: Set<UInt32> = [
        ZYDIS_MNEMONIC_CPUID, ZYDIS_MNEMONIC_RDTSC, ZYDIS_MNEMONIC_RDTSCP, ZYDIS_MNEMONIC_UD0,
        ZYDIS_MNEMONIC_UD1, ZYDIS_MNEMONIC_UD2, ZYDIS_MNEMONIC_INT, ZYDIS_MNEMONIC_INT1,
        ZYDIS_MNEMONIC_INT3, ZYDIS_MNEMONIC_INTO, ZYDIS_MNEMONIC_HLT, ZYDIS_MNEMONIC_XBEGIN,
        ZYDIS_MNEMONIC_XEND, ZYDIS_MNEMONIC_XABORT,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    private static let trappingCategories: Set<UInt32> = [
        ZYDIS_CATEGORY_SYSCALL, ZYDIS_CATEGORY_SYSRET, ZYDIS_CATEGORY_INTERRUPT, ZYDIS_CATEGORY_SYSTEM,
        ZYDIS_CATEGORY_IO, ZYDIS_CATEGORY_IOSTRINGOP, ZYDIS_CATEGORY_RDRAND, ZYDIS_CATEGORY_RDSEED,
        ZYDIS_CATEGORY_RDPID, ZYDIS_CATEGORY_RDPRU, ZYDIS_CATEGORY_SGX, ZYDIS_CATEGORY_UINTR,
        ZYDIS_CATEGORY_PT, ZYDIS_CATEGORY_TSX_LDTRK,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    private static func staysInPlace(_ instruction: ZydisDecodedInstruction) -> Bool {
        trappingMnemonics.contains(instruction.mnemonic.rawValue)
            || trappingCategories.contains(instruction.meta.category.rawValue)
    }
}

/// The one Zydis decoder for 64-bit code; it holds no state between instructions.
final class X86Decoder: @unchecked Sendable {
    static let shared = X86Decoder()
    private static let success: ZyanStatus = 0x0010_0000
    private var decoder = ZydisDecoder()

    private init() {
        let status = ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)
        precondition(status == Self.success, "Zydis rejected its own 64-bit mode")
    }

    /// Decodes the instruction at `pointer` (at most `count` bytes); false if there is none.
    func decode(_ pointer: UnsafeRawPointer, count: Int, into instruction: inout ZydisDecodedInstruction) -> Bool {
        var context = ZydisDecoderContext()
        return ZydisDecoderDecodeInstruction(&decoder, &context, pointer, count, &instruction) == Self.success
    }
}
