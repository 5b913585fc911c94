/// A packet from gdb, parsed into what it asks for.
///
/// Parsing is total: every payload becomes some case, and input the stub does not understand
/// ends up in `.unknown` (reply empty, which tells gdb "not supported") or `.malformed` (a
/// packet we know with arguments we cannot read; reply `E01`). The stub never has to look at
/// raw bytes again. Addresses are `UInt64`; lengths, offsets and register numbers are `Int`.
/// Signal numbers are gdb's numbering (see `GDBSignal`).
public enum GDBCommand: Sendable, Equatable {
    // MARK: Connection

    /// `qSupported[:feature;feature…]`: gdb's features, e.g. `swbreak+` or `xmlRegisters=i386`.
    case querySupported([String])
    /// `QStartNoAckMode`.
    case startNoAckMode
    /// `!`: extended-remote mode, where `run`, `kill` and reconnecting are allowed.
    case extendedMode
    /// `?`: why did the target stop (asked once right after connecting).
    case haltReason
    /// `vMustReplyEmpty`: gdb's probe that unknown `v` packets get an empty reply.
    case mustReplyEmpty
    /// The `Q` packets that set a mode or a list; see `GDBSetting.conventionalReply`.
    case setting(GDBSetting)

    // MARK: Registers and memory

    /// `g`: all registers in the `RegisterLayout` order.
    case readRegisters
    /// `G hex`: all registers, already decoded from hex.
    case writeRegisters([UInt8])
    /// `p n`: one register by gdb register number.
    case readRegister(Int)
    /// `P n=hex`: one register, value already decoded from hex.
    case writeRegister(Int, [UInt8])
    /// `m addr,len`.
    case readMemory(address: UInt64, length: Int)
    /// `M addr,len:hex` or `X addr,len:binary`; the length has been checked against the data.
    /// gdb probes `X` support with an empty write, which should succeed.
    case writeMemory(address: UInt64, data: [UInt8])

    // MARK: Breakpoints and watchpoints

    /// `Z type,addr,kind`; any `;cond` or `;cmds` suffix is dropped. `kind` is the breakpoint
    /// length in bytes (1 for int3) or the watched length.
    case insertBreakpoint(BreakpointType, address: UInt64, kind: UInt64)
    /// `z type,addr,kind`.
    case removeBreakpoint(BreakpointType, address: UInt64, kind: UInt64)

    // MARK: Execution

    /// `c [addr]`.
    case `continue`(address: UInt64?)
    /// `C sig[;addr]`.
    case continueWithSignal(UInt8, address: UInt64?)
    /// `s [addr]`.
    case step(address: UInt64?)
    /// `S sig[;addr]`.
    case stepWithSignal(UInt8, address: UInt64?)
    /// `vCont?`: which vCont actions are supported.
    case vContQuery
    /// `vCont;action[:thread]…`, in gdb's order (the first matching action applies to a thread).
    case vCont([VContAction])
    /// `bc`: run backwards to the previous breakpoint, watchpoint or the start of history.
    case reverseContinue
    /// `bs`: step one instruction backwards.
    case reverseStep

    // MARK: Threads

    /// `Hg thread` / `Hc thread`: the thread later register or resume packets refer to.
    case setThread(ThreadOperation, ThreadID)
    /// `T thread`: is the thread alive.
    case threadAlive(ThreadID)
    /// `qC`: the current thread.
    case currentThread
    /// `qfThreadInfo`: first part of the thread list.
    case threadListFirst
    /// `qsThreadInfo`: next part of the thread list.
    case threadListNext
    /// `qThreadExtraInfo,thread`: a description to show in `info threads`.
    case threadExtraInfo(ThreadID)

    // MARK: Queries

    /// `qAttached[:pid]`: whether the process was attached to (detach) or created (kill).
    case attached(pid: UInt64?)
    /// `qOffsets`: section relocation, which a Linux stub does not need to answer.
    case offsets
    /// `qSymbol::` (gdb offers to look up symbols; both nil) or `qSymbol:value:hexname`, the
    /// answer to a lookup the stub asked for (`value` nil when gdb did not find it).
    case symbol(value: UInt64?, name: String?)
    /// `qXfer:object:read:annex:offset,length`; answer with `GDBReply.xferChunk`.
    case xferRead(object: String, annex: String, offset: Int, length: Int)
    /// `qRcmd,hex`: a `monitor` command, decoded to text.
    case monitor(String)

    // MARK: Process lifetime

    /// `k`.
    case kill
    /// `vKill;pid`.
    case killProcess(pid: UInt64)
    /// `D` or `D;pid`.
    case detach(pid: UInt64?)
    /// `vRun;hexfile;hexarg…`: start the program again; an empty file name (nil) means the
    /// one gdb was already debugging.
    case run(program: String?, arguments: [String])

    // MARK: Host files

    /// `vFile:…`: gdb reading the target's files (the executable, libraries) through the stub.
    case file(VFileRequest)

    // MARK: Everything else

    /// A packet this module does not know. The stub replies with an empty packet.
    case unknown(String)
    /// A known packet with unreadable arguments; the reason names the packet. The stub replies
    /// with an error such as `E01`.
    case malformed(String)
}

extension GDBCommand {
    /// Parses one packet payload, as produced by `PacketDecoder`.
    public static func parse(_ payload: [UInt8]) -> GDBCommand {
        let body = payload[...]
        guard let first = body.first else { return .unknown("") }
        let arguments = body.dropFirst()
        switch first {
        case UInt8(ascii: "?"):
            return arguments.isEmpty ? .haltReason : .unknown(body.text)
        case UInt8(ascii: "!"):
            return arguments.isEmpty ? .extendedMode : .unknown(body.text)
        case UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "p"), UInt8(ascii: "P"):
            return parseRegisters(first, arguments, packet: body)
        case UInt8(ascii: "m"), UInt8(ascii: "M"), UInt8(ascii: "X"):
            return parseMemory(first, arguments)
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return parseBreakpoint(insert: first == UInt8(ascii: "Z"), arguments)
        case UInt8(ascii: "c"), UInt8(ascii: "C"), UInt8(ascii: "s"), UInt8(ascii: "S"):
            return parseResume(first, arguments)
        case UInt8(ascii: "b"):
            return parseReverse(body)
        case UInt8(ascii: "H"), UInt8(ascii: "T"):
            return parseThreadSelection(first, arguments, packet: body)
        case UInt8(ascii: "k"), UInt8(ascii: "D"):
            return parseProcessLifetime(first, arguments, packet: body)
        case UInt8(ascii: "q"):
            return parseQuery(arguments, packet: body)
        case UInt8(ascii: "Q"):
            return parseSetting(arguments, packet: body)
        case UInt8(ascii: "v"):
            return parseVerbose(body)
        default:
            return .unknown(body.text)
        }
    }

    /// The `v` packets, which are spelled out in full and ordered here by how specific the name
    /// is, so that `vCont?` is not mistaken for `vCont;`.
    static func parseVerbose(_ packet: PacketSlice) -> GDBCommand {
        if packet.equals("vCont?") {
            return .vContQuery
        }
        if let actions = packet.after("vCont;") {
            return parseVCont(actions)
        }
        if packet.equals("vMustReplyEmpty") {
            return .mustReplyEmpty
        }
        if let request = packet.after("vFile:") {
            return parseVFile(request, packet: packet)
        }
        if let arguments = packet.after("vRun;") {
            return parseRun(arguments)
        }
        if let pid = packet.after("vKill;") {
            guard let value = pid.hexNumber else { return .malformed("vKill: bad pid") }
            return .killProcess(pid: value)
        }
        return .unknown(packet.text)
    }
}
