import Guest
import Trace

/// The register comparison made at every event.
enum RegisterCheck {
    static func require(_ registers: Registers, equal recorded: RegisterFile, event: Int, what: String) throws {
        guard registers.values != recorded.values else { return }
        let expected = Registers(values: recorded.values)
        let differing = zip(Registers.names.indices, Registers.names).filter { index, _ in
            registers.values[index] != expected.values[index]
        }
        let describe = { (values: [UInt64]) in
            differing.map { index, name in "\(name)=0x\(String(values[index], radix: 16))" }.joined(separator: " ")
        }
        throw ReplayError.diverged(event: event, what: what, expected: describe(expected.values), got: describe(registers.values))
    }
}
