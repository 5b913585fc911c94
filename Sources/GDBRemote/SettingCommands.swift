/// The `Q` packets gdb may send to set a mode or a list before or while debugging.
public enum GDBSetting: Sendable, Equatable {
    /// `QThreadEvents:0|1`: report thread creation and exit as stops.
    case threadEvents(Bool)
    /// `QNonStop:0|1`.
    case nonStop(Bool)
    /// `QPassSignals:sig;sig…`: signals to deliver to the program without stopping.
    case passSignals([UInt8])
    /// `QProgramSignals:sig;sig…`: signals the program may receive at all.
    case programSignals([UInt8])
    /// `QDisableRandomization:0|1`.
    case disableRandomization(Bool)
    /// `QEnvironmentHexEncoded:hex`: one `NAME=value` entry for the next `vRun`.
    case environmentSet(String)
    /// `QEnvironmentUnset:hex`: a variable to remove for the next `vRun`.
    case environmentUnset(String)
    /// `QEnvironmentReset`.
    case environmentReset
    /// `QSetWorkingDir:hex`: the directory for the next `vRun`; nil (empty) means the default.
    case workingDirectory(String?)

    /// The reply a replay stub should give. A replay cannot change signals, randomization or
    /// the working directory, because everything the program saw is in the trace, so accepting
    /// those with `OK` is harmless and keeps gdb quiet. Non-stop mode, thread events and a
    /// changed environment would promise behaviour the stub does not have, so they get the
    /// empty "unsupported" reply.
    public var conventionalReply: [UInt8] {
        switch self {
        case .passSignals, .programSignals, .disableRandomization, .workingDirectory:
            GDBReply.ok
        case .threadEvents, .nonStop, .environmentSet, .environmentUnset, .environmentReset:
            GDBReply.empty
        }
    }
}

/// Parsing for `Q` packets. `QStartNoAckMode` gets its own command because it changes framing.
extension GDBCommand {
    static func parseSetting(_ setting: PacketSlice, packet: PacketSlice) -> GDBCommand {
        if setting.equals("StartNoAckMode") {
            return .startNoAckMode
        }
        if let value = setting.after("ThreadEvents:") {
            return flagSetting(value, "QThreadEvents", GDBSetting.threadEvents)
        }
        if let value = setting.after("NonStop:") {
            return flagSetting(value, "QNonStop", GDBSetting.nonStop)
        }
        if let value = setting.after("DisableRandomization:") {
            return flagSetting(value, "QDisableRandomization", GDBSetting.disableRandomization)
        }
        if let list = setting.after("PassSignals:") {
            guard let signals = signalList(list) else { return .malformed("QPassSignals: bad signal") }
            return .setting(.passSignals(signals))
        }
        if let list = setting.after("ProgramSignals:") {
            guard let signals = signalList(list) else { return .malformed("QProgramSignals: bad signal") }
            return .setting(.programSignals(signals))
        }
        if let entry = setting.after("EnvironmentHexEncoded:") {
            guard let text = entry.hexText else { return .malformed("QEnvironmentHexEncoded: not hex") }
            return .setting(.environmentSet(text))
        }
        if let name = setting.after("EnvironmentUnset:") {
            guard let text = name.hexText else { return .malformed("QEnvironmentUnset: not hex") }
            return .setting(.environmentUnset(text))
        }
        if setting.equals("EnvironmentReset") {
            return .setting(.environmentReset)
        }
        if let directory = setting.after("SetWorkingDir:") {
            guard let text = directory.hexText else { return .malformed("QSetWorkingDir: not hex") }
            return .setting(.workingDirectory(text.isEmpty ? nil : text))
        }
        return .unknown(packet.text)
    }

    private static func flagSetting(
        _ value: PacketSlice, _ name: String, _ make: (Bool) -> GDBSetting
    ) -> GDBCommand {
        guard let flag = value.flag else { return .malformed("\(name): expected 0 or 1") }
        return .setting(make(flag))
    }

    /// `sig;sig;…` in hex; an empty list is valid and means "none".
    private static func signalList(_ text: PacketSlice) -> [UInt8]? {
        var signals: [UInt8] = []
        for part in text.parts(separatedBy: ";") where !part.isEmpty {
            guard let signal = part.hexByte else { return nil }
            signals.append(signal)
        }
        return signals
    }
}
