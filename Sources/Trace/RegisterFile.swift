import X86Registers

/// The 27 general registers of an event, as the trace holds them: `values` in `RegisterName`
/// order, the kernel's `struct user_regs_struct` order.
///
/// Kept as plain values here so the trace format does not depend on the guest kernel.
public struct RegisterFile: Equatable, Sendable {
    public var values: [UInt64]

    public init(_ values: [UInt64]) {
        precondition(values.count == RegisterName.allCases.count, "a register file has 27 values")
        self.values = values
    }

    public static let zero = RegisterFile([UInt64](repeating: 0, count: RegisterName.allCases.count))

    public subscript(_ name: RegisterName) -> UInt64 {
        get { values[name.rawValue] }
        set { values[name.rawValue] = newValue }
    }

    public var rip: UInt64 { self[.rip] }
    public var rsp: UInt64 { self[.rsp] }
    public var origRax: UInt64 { self[.origRax] }
}
