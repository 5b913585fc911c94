/// The five kinds of `Z`/`z` packet, by their type digit.
public enum BreakpointType: Int, Sendable, Equatable, CaseIterable {
    /// `Z0`: a software breakpoint; gdb leaves the choice of mechanism to the stub.
    case software = 0
    /// `Z1`: a hardware execution breakpoint.
    case hardware = 1
    /// `Z2`: stop after the watched bytes are written.
    case writeWatch = 2
    /// `Z3`: stop after the watched bytes are read.
    case readWatch = 3
    /// `Z4`: stop after the watched bytes are read or written.
    case accessWatch = 4

    /// Whether this is a data watchpoint rather than an execution breakpoint.
    public var isWatchpoint: Bool { rawValue >= 2 }
}

/// Parsing for `Z type,addr,kind[;cond…]` and `z type,addr,kind`.
extension GDBCommand {
    /// Unknown type digits parse as `.unknown`, so the stub's empty reply tells gdb that kind
    /// of breakpoint is unsupported, which is what the protocol prescribes. Conditions and
    /// command lists after ';' are for stubs that evaluate them; gdb evaluates them itself when
    /// the stub does not advertise `ConditionalBreakpoints`, so they are dropped.
    static func parseBreakpoint(insert: Bool, _ arguments: PacketSlice) -> GDBCommand {
        let letter = insert ? "Z" : "z"
        let fields = (arguments.splitOnce(at: ";")?.head ?? arguments).parts(separatedBy: ",")
        guard fields.count == 3, let typeNumber = fields[0].hexInt else {
            return .malformed("\(letter): expected type,addr,kind")
        }
        guard let type = BreakpointType(rawValue: typeNumber) else {
            return .unknown(letter + arguments.text)
        }
        guard let address = fields[1].hexNumber, let kind = fields[2].hexNumber else {
            return .malformed("\(letter): bad address or kind")
        }
        return insert
            ? .insertBreakpoint(type, address: address, kind: kind)
            : .removeBreakpoint(type, address: address, kind: kind)
    }
}
