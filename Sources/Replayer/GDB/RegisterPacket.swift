import GDBRemote
import Guest
import X86Registers

/// Builds gdb's 560-byte amd64 `g` packet (the layout `RegisterLayout` and the target
/// description declare) from a stopped thread's general and x87/SSE registers.
enum RegisterPacket {
    static func bytes(general: Registers, floatingPoint: FloatingPointRegisters) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: RegisterLayout.registerPacketSize)
        for register in RegisterLayout.registers {
            let value = self.value(of: register.name, general: general, floatingPoint: floatingPoint)
            for (index, byte) in value.prefix(register.byteSize).enumerated() {
                packet[register.offset + index] = byte
            }
        }
        return packet
    }

    static func bytes(of number: Int, general: Registers, floatingPoint: FloatingPointRegisters) -> [UInt8]? {
        guard let register = RegisterLayout.register(number: number) else { return nil }
        let value = self.value(of: register.name, general: general, floatingPoint: floatingPoint)
        return Array(value.prefix(register.byteSize)) + [UInt8](repeating: 0, count: max(0, register.byteSize - value.count))
    }

    private static func value(of name: String, general: Registers, floatingPoint fp: FloatingPointRegisters) -> [UInt8] {
        if let register = RegisterName(name) { return little(general[register]) }
        if name.hasPrefix("st"), let index = Int(name.dropFirst(2)) { return fp.st(index) }
        if name.hasPrefix("xmm"), let index = Int(name.dropFirst(3)) { return fp.xmm(index) }
        switch name {
        case "fctrl": return little(UInt64(fp.controlWord))
        case "fstat": return little(UInt64(fp.statusWord))
        case "ftag": return little(UInt64(fullTagWord(fp.abridgedTag)))
        case "fiseg": return little((fp.instructionPointer >> 32) & 0xffff)
        case "fioff": return little(fp.instructionPointer & 0xffff_ffff)
        case "foseg": return little((fp.operandPointer >> 32) & 0xffff)
        case "fooff": return little(fp.operandPointer & 0xffff_ffff)
        case "fop": return little(UInt64(fp.lastOpcode & 0x7ff))
        case "mxcsr": return little(UInt64(fp.mxcsr))
        default: return []
        }
    }

    /// FXSAVE keeps one "in use" bit per register; gdb shows the x87 two-bit tags, where 11
    /// means empty and 00 valid.
    private static func fullTagWord(_ abridged: UInt8) -> UInt16 {
        (0..<8).reduce(UInt16(0)) { word, index in
            word | (abridged & (1 << index) == 0 ? UInt16(0b11) << (index * 2) : 0)
        }
    }

    private static func little(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian, Array.init)
    }
}
