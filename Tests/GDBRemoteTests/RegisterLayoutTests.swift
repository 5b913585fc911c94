import GDBRemote
import X86Registers
import XCTest

final class RegisterLayoutTests: XCTestCase {
    func testSixtyRegistersIn560Bytes() {
        let registers = RegisterLayout.registers
        XCTAssertEqual(registers.count, 60)
        XCTAssertEqual(registers.map(\.byteSize).reduce(0, +), 560)
        XCTAssertEqual(RegisterLayout.registerPacketSize, 560)
        XCTAssertEqual(registers.map(\.number), Array(0..<60))
    }

    func testOffsetsArePacked() {
        var offset = 0
        for register in RegisterLayout.registers {
            XCTAssertEqual(register.offset, offset, register.name)
            offset += register.byteSize
        }
    }

    func testOrder() {
        let names = RegisterLayout.registers.map(\.name)
        let expected = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"]
            + (8...15).map { "r\($0)" } + ["rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"]
            + (0...7).map { "st\($0)" } + ["fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"]
            + (0...15).map { "xmm\($0)" } + ["mxcsr", "orig_rax", "fs_base", "gs_base"]
        XCTAssertEqual(names, expected)
    }

    /// The `g` packet is filled by name from the kernel's registers, so gdb's layout must have
    /// each of them.
    func testEveryKernelRegisterHasAGDBRegisterOfTheSameName() {
        for name in RegisterName.allCases {
            XCTAssertNotNil(RegisterLayout.register(named: name.description), "\(name)")
        }
    }

    func testWellKnownRegisters() {
        let expectations: [(String, Int, Int, Int)] = [
            ("rax", 0, 8, 0), ("rsp", 7, 8, 56), ("rip", 16, 8, 128), ("eflags", 17, 4, 136),
            ("gs", 23, 4, 160), ("st0", 24, 10, 164), ("st7", 31, 10, 234), ("fctrl", 32, 4, 244),
            ("fop", 39, 4, 272), ("xmm0", 40, 16, 276), ("xmm15", 55, 16, 516), ("mxcsr", 56, 4, 532),
            ("orig_rax", 57, 8, 536), ("fs_base", 58, 8, 544), ("gs_base", 59, 8, 552),
        ]
        for (name, number, size, offset) in expectations {
            guard let register = RegisterLayout.register(named: name) else {
                XCTFail("missing \(name)")
                continue
            }
            XCTAssertEqual(register.number, number, name)
            XCTAssertEqual(register.byteSize, size, name)
            XCTAssertEqual(register.offset, offset, name)
            XCTAssertEqual(RegisterLayout.register(number: number), register)
        }
        XCTAssertNil(RegisterLayout.register(named: "eax"))
        XCTAssertNil(RegisterLayout.register(number: 60))
        XCTAssertNil(RegisterLayout.register(number: -1))
    }

    func testTypes() {
        XCTAssertEqual(RegisterLayout.register(named: "rip")?.type, "code_ptr")
        XCTAssertEqual(RegisterLayout.register(named: "rsp")?.type, "data_ptr")
        XCTAssertEqual(RegisterLayout.register(named: "rbp")?.type, "data_ptr")
        XCTAssertEqual(RegisterLayout.register(named: "eflags")?.type, "i386_eflags")
        XCTAssertEqual(RegisterLayout.register(named: "st3")?.type, "i387_ext")
        XCTAssertEqual(RegisterLayout.register(named: "xmm3")?.type, "vec128")
        XCTAssertEqual(RegisterLayout.register(named: "mxcsr")?.type, "i386_mxcsr")
        XCTAssertEqual(RegisterLayout.register(named: "fstat")?.group, "float")
    }
}
