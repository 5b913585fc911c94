/// A `T` stop reply: the thread stopped with a signal, plus optional "why" and register pairs.
///
/// The thread comes first, then the details in the order given, so replies are byte-for-byte
/// predictable in tests. gdb reads the stop reason pairs to decide what happened: `swbreak`
/// and `hwbreak` tell it a breakpoint was hit (and it must not rewind the PC itself), `watch`
/// and friends name the data address, and `replaylog` says the replay ran out of history in
/// that direction, which gdb reports as "No more reverse-execution history."
public struct StopReply: Sendable, Equatable {
    public enum Detail: Sendable, Equatable {
        /// `swbreak:;`, only valid when gdb announced `swbreak+`.
        case softwareBreakpoint
        /// `hwbreak:;`, only valid when gdb announced `hwbreak+`.
        case hardwareBreakpoint
        /// `watch:addr;`: a write watchpoint triggered on `addr`.
        case writeWatch(UInt64)
        /// `rwatch:addr;`.
        case readWatch(UInt64)
        /// `awatch:addr;`.
        case accessWatch(UInt64)
        /// `replaylog:begin;`: reverse execution reached the start of the recording.
        case replayLogBegin
        /// `replaylog:end;`: forward execution reached the end of the recording.
        case replayLogEnd
        /// `n:value;`: an expedited register (gdb regnum and its raw bytes), saving a `p`/`g`.
        case register(Int, [UInt8])
        /// Any other `key:value;` pair, written as given.
        case other(key: String, value: String)
    }

    /// gdb signal number; SIGTRAP (5) for breakpoints, steps and watchpoints.
    public var signal: UInt8
    public var thread: ThreadID?
    public var details: [Detail]

    public init(signal: UInt8, thread: ThreadID? = nil, details: [Detail] = []) {
        self.signal = signal
        self.thread = thread
        self.details = details
    }

    /// `T<sig>thread:<id>;<details>`.
    public var payload: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "T")] + HexCoding.byte(signal)
        if let thread {
            out += Array("thread:".utf8) + thread.bytes + [UInt8(ascii: ";")]
        }
        for detail in details {
            out += Self.encode(detail)
        }
        return out
    }

    private static func encode(_ detail: Detail) -> [UInt8] {
        let pair: (String, [UInt8])
        switch detail {
        case .softwareBreakpoint: pair = ("swbreak", [])
        case .hardwareBreakpoint: pair = ("hwbreak", [])
        case .writeWatch(let address): pair = ("watch", HexCoding.number(address))
        case .readWatch(let address): pair = ("rwatch", HexCoding.number(address))
        case .accessWatch(let address): pair = ("awatch", HexCoding.number(address))
        case .replayLogBegin: pair = ("replaylog", Array("begin".utf8))
        case .replayLogEnd: pair = ("replaylog", Array("end".utf8))
        case .register(let number, let value):
            pair = (HexCoding.numberString(UInt64(max(number, 0))), HexCoding.encode(value))
        case .other(let key, let value): pair = (key, Array(value.utf8))
        }
        return Array(pair.0.utf8) + [UInt8(ascii: ":")] + pair.1 + [UInt8(ascii: ";")]
    }
}

extension GDBReply {
    /// A `T` stop reply.
    public static func stopped(_ reply: StopReply) -> [UInt8] {
        reply.payload
    }

    /// `S<sig>`: the minimal stop reply without a thread, for when no thread exists yet.
    public static func stoppedWithSignal(_ signal: UInt8) -> [UInt8] {
        [UInt8(ascii: "S")] + HexCoding.byte(signal)
    }

    /// `W<status>[;process:pid]`: the process exited normally with `status`.
    public static func exited(status: UInt8, pid: UInt64? = nil) -> [UInt8] {
        [UInt8(ascii: "W")] + HexCoding.byte(status) + processSuffix(pid)
    }

    /// `X<sig>[;process:pid]`: the process was killed by a signal (gdb numbering).
    public static func terminated(signal: UInt8, pid: UInt64? = nil) -> [UInt8] {
        [UInt8(ascii: "X")] + HexCoding.byte(signal) + processSuffix(pid)
    }

    private static func processSuffix(_ pid: UInt64?) -> [UInt8] {
        guard let pid else { return [] }
        return Array(";process:".utf8) + HexCoding.number(pid)
    }
}
