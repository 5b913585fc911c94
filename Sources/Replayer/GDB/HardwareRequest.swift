import GDBServer
import Guest

/// Turns gdb's hardware breakpoint and watchpoint requests into x86 debug register slots.
enum HardwareRequest {
    /// The slot for an execution breakpoint.
    static func breakpointSlot(at address: UInt64) -> DebugRegisterSlot {
        DebugRegisterSlot(address: address, length: 1, condition: .execute)
    }

    /// The slot for a watchpoint, or nil when the CPU cannot watch that (lengths other than 1,
    /// 2, 4 or 8, or an address not aligned to the length); gdb then falls back to other means.
    static func watchSlot(_ kind: GDBWatchKind, address: UInt64, length: UInt64) -> DebugRegisterSlot? {
        guard [1, 2, 4, 8].contains(length), address % length == 0 else { return nil }
        return DebugRegisterSlot(address: address, length: Int(length), condition: kind == .write ? .write : .readWrite)
    }
}
