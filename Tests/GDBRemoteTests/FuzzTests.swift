import SeededRandom
import GDBRemote
import XCTest

/// Random and mutated input through the decoder and the parser. Nothing here checks specific
/// results; the point is that no input traps, hangs or makes the decoder hold more than it must.
/// The generator is seeded, so any failure reproduces exactly.
final class FuzzTests: XCTestCase {
    /// Valid packets of every family, the seeds for mutation.
    private let corpus: [String] = [
        "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;xmlRegisters=i386",
        "QStartNoAckMode", "?", "!", "g", "G00112233", "p10", "P10=0011223344556677",
        "m555555555149,1", "M1000,2:cc90", "X1000,2:ab", "Z0,555555555149,1", "z2,7ffe0000,8;X1,0",
        "c", "C0b;401000", "s401000", "S05", "vCont?", "vCont;c:p1a2b.1a2b", "vCont;s:p1.1;c",
        "vCont;r401000,401020:p1.1;t:-1", "bc", "bs", "Hgp0.0", "Hc-1", "Tp1.1", "qC",
        "qfThreadInfo", "qsThreadInfo", "qThreadExtraInfo,p1.1", "qAttached:1", "qOffsets",
        "qSymbol::", "qSymbol:1000:6d61696e", "qTStatus", "vMustReplyEmpty",
        "qXfer:features:read:target.xml:0,ffb", "qXfer:auxv:read::0,1000", "k", "vKill;1a2b",
        "D", "D;1a2b", "vRun;;", "vRun;2f62696e2f6c73;2d6c", "vFile:setfs:0",
        "vFile:open:6a7573742070726f62696e67,0,1c0", "vFile:pread:5,3fff,0", "vFile:close:5",
        "vFile:fstat:5", "vFile:readlink:2f", "vFile:unlink:2f78", "qRcmd,7768656e",
        "QThreadEvents:1", "QNonStop:0", "QPassSignals:e;14", "QProgramSignals:", "QDisableRandomization:1",
        "QEnvironmentHexEncoded:413d31", "QEnvironmentUnset:41", "QEnvironmentReset", "QSetWorkingDir:2f",
    ]

    /// Bytes that matter to the framing and the parsers, so random input hits real paths.
    private let interesting: [UInt8] = Array("$#}*+-:;,.=p-0123456789abcdefABCDEF".utf8) + [0x03, 0x00, 0xff, 0x20]

    private func randomByte(_ generator: inout SeededGenerator) -> UInt8 {
        generator.next() % 3 == 0
            ? UInt8(truncatingIfNeeded: generator.next())
            : interesting[Int(generator.next() % UInt64(interesting.count))]
    }

    private func mutate(_ input: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var output = input
        for _ in 0...(generator.next() % 4) {
            let position = output.isEmpty ? 0 : Int(generator.next() % UInt64(output.count + 1))
            switch generator.next() % 6 {
            case 0 where position < output.count:
                output[position] = randomByte(&generator)
            case 1:
                output.insert(randomByte(&generator), at: position)
            case 2 where position < output.count:
                output.remove(at: position)
            case 3:
                output = Array(output.prefix(position))
            case 4:
                output.insert(contentsOf: output.prefix(Int(generator.next() % 16)), at: position)
            default:
                let numbers = ["-1", "0", "ffffffffffffffff", "10000000000000000", "7fffffffffffffff", ""]
                output.insert(contentsOf: Array(numbers[Int(generator.next() % 6)].utf8), at: position)
            }
        }
        return output
    }

    func testMutatedPacketsParseWithoutTrapping() {
        var generator = SeededGenerator(seed: 42)
        var known = 0
        for round in 0..<20000 {
            let seed = Array(corpus[round % corpus.count].utf8)
            let command = GDBCommand.parse(mutate(seed, &generator))
            switch command {
            case .unknown, .malformed: break
            default: known += 1
            }
        }
        XCTAssertGreaterThan(known, 1000, "mutations should still produce many valid commands")
    }

    func testMutatedPacketsSurviveFramingUnchanged() {
        var generator = SeededGenerator(seed: 43)
        for round in 0..<5000 {
            let payload = mutate(Array(corpus[round % corpus.count].utf8), &generator)
            let inputs = decodeAll(PacketEncoder.frame(payload))
            XCTAssertEqual(inputs, [.packet(payload)])
            XCTAssertEqual(GDBCommand.parse(payload), GDBCommand.parse(payload))
        }
    }

    func testRandomPayloadsParseWithoutTrapping() {
        var generator = SeededGenerator(seed: 44)
        let prefixes = ["", "q", "Q", "v", "vCont;", "vFile:", "vFile:open:", "qXfer:", "Z", "m", "M", "X", "P", "H", "T", "vRun;"]
        for _ in 0..<20000 {
            let prefix = Array(prefixes[Int(generator.next() % UInt64(prefixes.count))].utf8)
            let body = (0..<Int(generator.next() % 40)).map { _ in randomByte(&generator) }
            _ = GDBCommand.parse(prefix + body)
        }
    }

    func testRandomStreamsDecodeWithBoundedMemory() {
        var generator = SeededGenerator(seed: 45)
        let limit = 256
        var decoder = PacketDecoder(maximumPayload: limit)
        var packets = 0
        for _ in 0..<3000 {
            var chunk: [UInt8] = []
            let pieces = Int(generator.next() % 8)
            for _ in 0..<pieces {
                switch generator.next() % 4 {
                case 0:
                    let payload = mutate(Array(corpus[Int(generator.next() % UInt64(corpus.count))].utf8), &generator)
                    chunk += mutate(PacketEncoder.frame(payload), &generator)
                case 1:
                    chunk += PacketEncoder.frame((0..<Int(generator.next() % 600)).map { _ in randomByte(&generator) })
                default:
                    chunk += (0..<Int(generator.next() % 64)).map { _ in randomByte(&generator) }
                }
            }
            decoder.feed(chunk)
            while let input = decoder.next() {
                if case .packet(let payload) = input {
                    XCTAssertLessThanOrEqual(payload.count, limit)
                    _ = GDBCommand.parse(payload)
                    packets += 1
                }
            }
            XCTAssertEqual(decoder.unconsumedByteCount, 0)
        }
        XCTAssertGreaterThan(packets, 1000)
    }

    func testValidPacketsInterleavedWithNoiseAllArrive() {
        var generator = SeededGenerator(seed: 46)
        var stream: [UInt8] = []
        var expected: [DecodedInput] = []
        for round in 0..<2000 {
            let noise = (0..<Int(generator.next() % 5)).map { _ in UInt8(ascii: "a") + UInt8(generator.next() % 26) }
            stream += noise
            switch generator.next() % 4 {
            case 0:
                stream.append(0x03)
                expected.append(.interrupt)
            case 1:
                stream.append(UInt8(ascii: "+"))
                expected.append(.ack)
            default:
                let payload = Array(corpus[round % corpus.count].utf8)
                stream += PacketEncoder.frame(payload)
                expected.append(.packet(payload))
            }
        }
        var decoder = PacketDecoder()
        var inputs: [DecodedInput] = []
        var position = 0
        while position < stream.count {
            let size = 1 + Int(generator.next() % 97)
            decoder.feed(Array(stream[position..<min(position + size, stream.count)]))
            position += size
            while let input = decoder.next() {
                inputs.append(input)
            }
        }
        XCTAssertEqual(inputs, expected)
    }
}
