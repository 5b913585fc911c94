/// Whether packets are acknowledged with '+'/'-'.
///
/// gdb starts every connection in acknowledged mode and switches both sides off after a
/// successful `QStartNoAckMode`. The switch is the caller's job because its timing matters:
/// the stub acknowledges the `QStartNoAckMode` packet itself, replies `OK`, and only then stops
/// sending acknowledgements.
public enum AckMode: Sendable, Equatable {
    case acknowledged
    case unacknowledged

    /// What to write back for one decoded input: '+' for a packet (including an oversized one,
    /// which is answered with an error rather than retransmitted), '-' for a bad checksum, and
    /// nothing for everything else or when acknowledgements are off.
    public func response(to input: DecodedInput) -> [UInt8] {
        guard self == .acknowledged else { return [] }
        switch input {
        case .packet, .oversized:
            return [UInt8(ascii: "+")]
        case .badChecksum:
            return [UInt8(ascii: "-")]
        case .interrupt, .ack, .nack:
            return []
        }
    }
}
