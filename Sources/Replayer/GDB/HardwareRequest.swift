import GDBRemote
import Guest

/// Turns gdb's `Z1`-`Z4` requests into x86 debug register slots.
enum HardwareRequest {
    /// The slot for a request, or nil when the CPU cannot watch that (lengths other than 1, 2,
    /// 4 or 8, or an address not aligned to the length); gdb then falls back to other means.
    static func slot(_ type: BreakpointType, address: UInt64, length: Int) -> DebugRegisterSlot? {
        switch type {
        case .software:
            return nil
        case .hardware:
            return DebugRegisterSlot(address: address, length: 1, condition: .execute)
        case .writeWatch, .readWatch, .accessWatch:
            guard [1, 2, 4, 8].contains(length), address % UInt64(length) == 0 else { return nil }
            return DebugRegisterSlot(address: address, length: length, condition: type == .writeWatch ? .write : .readWrite)
        }
    }

    static func watchKind(_ type: BreakpointType) -> WatchKind? {
        switch type {
        case .writeWatch: return .write
        case .readWatch: return .read
        case .accessWatch: return .access
        case .software, .hardware: return nil
        }
    }
}
