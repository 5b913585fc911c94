import GDBRemote
import GDBServer

/// Plays gdb's side of a connection against a `GDBSession` in memory, and reads back what the
/// session answered.
struct ScriptedGDB {
    /// What gdb sends, one socket read per element.
    var chunks: [[UInt8]] = []

    /// A packet, framed as gdb frames it.
    mutating func send(_ packet: String) {
        chunks.append(PacketEncoder.frame(Array(packet.utf8)))
    }

    /// Raw bytes, such as Ctrl-C's 0x03 or a damaged packet.
    mutating func sendRaw(_ bytes: [UInt8]) {
        chunks.append(bytes)
    }

    /// Runs a session over these chunks until they run out.
    func play(against target: FakeTarget, transport: InMemoryTransport? = nil) throws -> Transcript {
        let transport = transport ?? InMemoryTransport(chunks)
        var diagnostics: [String] = []
        try GDBSession(target: target, transport: transport, diagnostics: { diagnostics.append($0) }).serve()
        var decoder = PacketDecoder()
        decoder.feed(transport.outbound)
        var transcript = Transcript(diagnostics: diagnostics, closeCount: transport.closeCount)
        while let input = decoder.next() {
            switch input {
            case .packet(let payload): transcript.replies.append(String(decoding: payload, as: UTF8.self))
            case .ack: transcript.acknowledgements += 1
            case .nack: transcript.retransmissionRequests += 1
            case .interrupt, .badChecksum, .oversized: transcript.garbage += 1
            }
        }
        return transcript
    }
}

/// What a session sent back during a scripted exchange.
struct Transcript {
    /// Reply payloads as text, in order, console output (`O…`) included.
    var replies: [String] = []
    var acknowledgements = 0
    var retransmissionRequests = 0
    var garbage = 0
    var diagnostics: [String]
    var closeCount: Int

    init(diagnostics: [String], closeCount: Int) {
        self.diagnostics = diagnostics
        self.closeCount = closeCount
    }
}

/// gdb's `O` packet for console text.
func consoleOutput(_ text: String) -> String {
    "O" + HexCoding.encodeString(text.utf8)
}
