import X86Registers
import XCTest

@testable import Guest

final class InstructionTrapTests: XCTestCase {
    func testCPUIDMaskHidesRandomNumberAndTransactionFeatures() {
        let leaf1 = CPUIDMask.apply(leaf: 1, subleaf: 0, eax: 1, ebx: 2, ecx: 0xffff_ffff, edx: 4)
        XCTAssertEqual(leaf1.2 & (1 << 30), 0, "RDRAND")
        XCTAssertEqual(leaf1.2 | (1 << 30), 0xffff_ffff, "only RDRAND is cleared in leaf 1")
        let leaf7 = CPUIDMask.apply(leaf: 7, subleaf: 0, eax: 0, ebx: 0xffff_ffff, ecx: 5, edx: 6)
        XCTAssertEqual(leaf7.1 & ((1 << 18) | (1 << 11) | (1 << 4)), 0, "RDSEED, RTM, HLE")
        XCTAssertEqual(leaf7.2, 5)
        let other = CPUIDMask.apply(leaf: 7, subleaf: 1, eax: 9, ebx: 0xffff_ffff, ecx: 9, edx: 9)
        XCTAssertEqual(other.1, 0xffff_ffff, "other subleaves are untouched")
    }

    func testTrapResultStepsOverTheInstruction() {
        var registers = Registers(values: [UInt64](repeating: 0, count: 27))
        registers.rip = 0x1000
        registers.rbx = 77
        let result = TrapResult(rax: 1, rbx: 2, rcx: 3, rdx: 4)
        let afterRdtscp = result.apply(to: registers, instruction: .rdtscp)
        XCTAssertEqual(afterRdtscp.rip, 0x1003)
        XCTAssertEqual([afterRdtscp.rax, afterRdtscp.rbx, afterRdtscp.rcx, afterRdtscp.rdx], [1, 2, 3, 4])
        XCTAssertEqual(result.apply(to: registers, instruction: .cpuid).rip, 0x1002)
    }

    func testNativeRdtscKeepsUnrelatedRegisters() {
        var registers = Registers(values: [UInt64](repeating: 0, count: 27))
        registers.rbx = 0x1234
        registers.rcx = 0x5678
        let first = TrapResult.execute(.rdtsc, registers: registers)
        let second = TrapResult.execute(.rdtsc, registers: registers)
        XCTAssertEqual(first.rbx, 0x1234)
        XCTAssertEqual(first.rcx, 0x5678)
        XCTAssertLessThanOrEqual((first.rdx << 32) | first.rax, (second.rdx << 32) | second.rax)
    }

    func testRegistersKeepTheKernelOrder() {
        let values = (0..<27).map { UInt64($0) * 3 + 1 }
        let registers = Registers(values: values)
        XCTAssertEqual(Registers(registers.raw).values, values)
        XCTAssertEqual(registers.rip, values[16])
        XCTAssertEqual(registers.rsp, values[19])
        XCTAssertEqual(registers.syscallArguments, [values[14], values[13], values[12], values[7], values[9], values[8]])
        XCTAssertEqual(RegisterName.origRax.description, "orig_rax")
    }

    /// A register's `RegisterName` raw value is its field's place in the kernel's struct, so
    /// `values` (and the trace) hold the registers in the struct's own order.
    func testRegisterNamesFollowTheKernelStruct() {
        XCTAssertEqual(RegisterName.allCases.count * 8, MemoryLayout<user_regs_struct>.size)
        for name in RegisterName.allCases {
            XCTAssertEqual(MemoryLayout<user_regs_struct>.offset(of: name.field), name.rawValue * 8, "\(name)")
            XCTAssertEqual(RegisterName(name.description), name)
        }
        XCTAssertEqual(
            RegisterName.allCases.map(\.description),
            [
                "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
                "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds",
                "es", "fs", "gs",
            ])
        XCTAssertNil(RegisterName("xmm0"))
    }

    /// The machine-code numbering names the same registers as the kernel's struct.
    func testGeneralRegistersMapToTheirNames() {
        XCTAssertEqual(
            GeneralRegister.allCases.map(\.registerName.description),
            ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"])
    }
}
