/// One action of a `vCont` packet.
public struct VContAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `c`
        case `continue`
        /// `C sig`: continue, delivering the signal (gdb numbering).
        case continueWithSignal(UInt8)
        /// `s`
        case step
        /// `S sig`: step, delivering the signal.
        case stepWithSignal(UInt8)
        /// `t`: stop the thread (non-stop mode only).
        case stop
        /// `r start,end`: step while the PC stays in [start, end), gdb's `next` accelerator.
        case rangeStep(start: UInt64, end: UInt64)
    }

    public var kind: Kind
    /// The threads this action applies to; nil means every thread not named by an earlier
    /// action.
    public var thread: ThreadID?

    public init(_ kind: Kind, thread: ThreadID? = nil) {
        self.kind = kind
        self.thread = thread
    }
}

/// Parsing for `c`, `C`, `s`, `S`, `vCont;…`, `bc` and `bs`.
extension GDBCommand {
    /// `c [addr]`, `s [addr]`, `C sig[;addr]`, `S sig[;addr]`.
    static func parseResume(_ kind: UInt8, _ arguments: PacketSlice) -> GDBCommand {
        let name = String(decoding: [kind], as: UTF8.self)
        switch kind {
        case UInt8(ascii: "c"), UInt8(ascii: "s"):
            var address: UInt64?
            if !arguments.isEmpty {
                guard let value = arguments.hexNumber else {
                    return .malformed("\(name): bad address")
                }
                address = value
            }
            return kind == UInt8(ascii: "c") ? .continue(address: address) : .step(address: address)
        default:
            let split = arguments.splitOnce(at: ";")
            let signalText = split?.head ?? arguments
            let addressText = split?.tail
            guard let signal = signalText.hexByte else {
                return .malformed("\(name): bad signal")
            }
            var address: UInt64?
            if let addressText {
                guard let value = addressText.hexNumber else {
                    return .malformed("\(name): bad address")
                }
                address = value
            }
            return kind == UInt8(ascii: "C")
                ? .continueWithSignal(signal, address: address)
                : .stepWithSignal(signal, address: address)
        }
    }

    /// The actions after `vCont;`, separated by ';', each optionally followed by `:thread`.
    static func parseVCont(_ text: PacketSlice) -> GDBCommand {
        var actions: [VContAction] = []
        for part in text.parts(separatedBy: ";") {
            let split = part.splitOnce(at: ":")
            let actionText = split?.head ?? part
            let threadText = split?.tail
            guard let kind = vContKind(actionText) else {
                return .malformed("vCont: bad action '\(actionText.text)'")
            }
            var thread: ThreadID?
            if let threadText {
                guard let parsed = ThreadID(parsing: threadText) else {
                    return .malformed("vCont: bad thread id '\(threadText.text)'")
                }
                thread = parsed
            }
            actions.append(VContAction(kind, thread: thread))
        }
        return .vCont(actions)
    }

    private static func vContKind(_ text: PacketSlice) -> VContAction.Kind? {
        guard let letter = text.first else { return nil }
        let argument = text.dropFirst()
        switch letter {
        case UInt8(ascii: "c"):
            return argument.isEmpty ? .continue : nil
        case UInt8(ascii: "s"):
            return argument.isEmpty ? .step : nil
        case UInt8(ascii: "t"):
            return argument.isEmpty ? .stop : nil
        case UInt8(ascii: "C"):
            return argument.hexByte.map { .continueWithSignal($0) }
        case UInt8(ascii: "S"):
            return argument.hexByte.map { .stepWithSignal($0) }
        case UInt8(ascii: "r"):
            guard let (startText, endText) = argument.splitOnce(at: ","),
                  let start = startText.hexNumber, let end = endText.hexNumber
            else { return nil }
            return .rangeStep(start: start, end: end)
        default:
            return nil
        }
    }

    /// `bc` and `bs`; any other `b` packet is the long-obsolete baud-rate command.
    static func parseReverse(_ packet: PacketSlice) -> GDBCommand {
        if packet.equals("bc") { return .reverseContinue }
        if packet.equals("bs") { return .reverseStep }
        return .unknown(packet.text)
    }
}
