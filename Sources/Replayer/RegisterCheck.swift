import Guest
import Trace
import X86Registers

/// The register comparison made at every event.
enum RegisterCheck {
    static func require(_ registers: Registers, equal recorded: RegisterFile, event: Int, what: String) throws {
        guard registers.values != recorded.values else { return }
        let differing = RegisterName.allCases.filter { registers[$0] != recorded[$0] }
        let describe = { (value: (RegisterName) -> UInt64) in
            differing.map { "\($0)=0x\(String(value($0), radix: 16))" }.joined(separator: " ")
        }
        throw ReplayError.diverged(event: event, what: what, expected: describe { recorded[$0] }, got: describe { registers[$0] })
    }
}
