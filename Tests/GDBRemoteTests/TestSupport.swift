import GDBRemote
import SeededRandom

/// Parses a packet written as text, the way most tests state their input.
func parse(_ packet: String) -> GDBCommand {
    GDBCommand.parse(Array(packet.utf8))
}

/// ASCII bytes of a string, for comparing reply payloads.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Reply payloads as text, so failures print readably.
func text(_ payload: [UInt8]) -> String {
    String(decoding: payload, as: UTF8.self)
}

/// Whether a command is `.malformed`, whatever the reason.
func isMalformed(_ command: GDBCommand) -> Bool {
    if case .malformed = command { return true }
    return false
}

/// Whether a command is `.unknown`, whatever the text.
func isUnknown(_ command: GDBCommand) -> Bool {
    if case .unknown = command { return true }
    return false
}

/// Every input decoded from `stream` fed in one piece.
func decodeAll(_ stream: [UInt8], maximumPayload: Int = PacketDecoder.defaultMaximumPayload) -> [DecodedInput] {
    var decoder = PacketDecoder(maximumPayload: maximumPayload)
    decoder.feed(stream)
    var inputs: [DecodedInput] = []
    while let input = decoder.next() {
        inputs.append(input)
    }
    return inputs
}
