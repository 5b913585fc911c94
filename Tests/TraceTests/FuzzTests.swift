import SeededRandom
import Foundation
import Trace
import XCTest

/// Feeds random and damaged input to every decoding layer. Each must answer with a clean
/// `TraceError` or correct data: never a trap, a hang, or events that were not recorded.
/// Seeds are fixed, so a failure reproduces exactly.
final class FuzzTests: XCTestCase {
    // MARK: - Event codec

    func testRandomBytesOnlyGiveCleanCodecErrors() {
        var generator = SeededGenerator(seed: 0xF00D)
        for _ in 0..<5000 {
            var bytes = generator.bytes(generator.below(120))
            if !bytes.isEmpty && generator.chance(3, in: 4) {
                bytes[0] = UInt8(1 + generator.below(5))
            }
            if bytes.count > 2 && generator.chance(1, in: 2) {
                bytes[1] = UInt8(min(bytes.count - 2, 127))
            }
            checkDecoding(bytes)
        }
    }

    func testMutatedEncodingsOnlyGiveCleanCodecErrors() {
        var generator = SeededGenerator(seed: 0xBEEF)
        let originals = (0..<20 as Range<UInt64>).map {
            SampleEvents.encode(SampleEvents.sequence(count: 4, seed: $0, maximumBytes: 16))
        } + [SampleEvents.encode(SampleEvents.everyKind)]
        for _ in 0..<5000 {
            var bytes = originals[generator.below(originals.count)]
            mutate(&bytes, &generator)
            checkDecoding(bytes)
        }
    }

    /// Decodes `bytes`; whatever decodes must survive a re-encoding round trip unchanged.
    private func checkDecoding(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        var decoder = EventCodec.Decoder()
        do {
            let events = try decoder.decodeAll(bytes)
            var again = EventCodec.Decoder()
            XCTAssertEqual(try again.decodeAll(SampleEvents.encode(events)), events, file: file, line: line)
        } catch is TraceError {
            return
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    // MARK: - Frame reader

    func testRandomFilesOnlyGiveCleanFrameErrors() throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.file("random.lz4")
        var generator = SeededGenerator(seed: 0xCAFE)
        let magic: [UInt8] = [0x04, 0x22, 0x4d, 0x18]
        let skippableMagic: [UInt8] = [0x50, 0x2a, 0x4d, 0x18]
        for _ in 0..<2000 {
            var bytes = generator.bytes(generator.below(200))
            switch generator.below(3) {
            case 0: bytes = magic + bytes
            case 1: bytes = skippableMagic + bytes
            default: break
            }
            try writeBytes(bytes, to: path)
            let reader = try LZ4FrameReader(path: path, maximumFrameSize: 1 << 20, chunkSize: 1 + generator.below(64))
            do {
                while try reader.nextFrame() != nil {}
            } catch is TraceError {
                continue
            }
        }
    }

    func testMutatedTracesGiveOnlyRecordedEventsOrCleanErrors() throws {
        let temporary = try TemporaryDirectory()
        let events = SampleEvents.sequence(count: 30, seed: 8, maximumBytes: 40)
        let original = try TraceDirectory.create(at: temporary.file("original"))
        let writer = try TraceWriter(directory: original, header: SampleEvents.header(), frameSizeLimit: 400)
        for event in events {
            try writer.append(event)
        }
        try writer.finish(header: writer.header)
        let stream = try readBytes(original.eventsPath)

        let damaged = try TraceDirectory.create(at: temporary.file("damaged"))
        try damaged.writeHeader(try original.readHeader())
        var generator = SeededGenerator(seed: 0xD00D)
        for iteration in 0..<2000 {
            var bytes = stream
            mutate(&bytes, &generator)
            unlink(damaged.eventsPath)
            try writeBytes(bytes, to: damaged.eventsPath)
            let reader = try TraceReader(directory: damaged)
            var read: [TraceEvent] = []
            do {
                while let event = try reader.next() {
                    read.append(event)
                }
            } catch is TraceError {}
            XCTAssertEqual(read, Array(events.prefix(read.count)), "iteration \(iteration)")
        }
    }

    /// Valid frames around damaged event bytes: the checksums pass, so the codec must catch it.
    func testDamagedEventsInsideValidFramesGiveCleanErrors() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        try directory.writeHeader(SampleEvents.header())
        let encoded = SampleEvents.encode(SampleEvents.sequence(count: 6, seed: 12, maximumBytes: 20))
        var generator = SeededGenerator(seed: 0xFEED)
        for _ in 0..<500 {
            var bytes = encoded
            mutate(&bytes, &generator)
            unlink(directory.eventsPath)
            let stream = try LZ4FrameWriter(path: directory.eventsPath)
            stream.append(bytes)
            try stream.close()
            let reader = try TraceReader(directory: directory)
            do {
                while try reader.next() != nil {}
            } catch let error as TraceError {
                XCTAssertTrue(error.description.hasPrefix("trace event "), error.description)
            }
        }
    }

    // MARK: - Mutation

    /// Applies one to four random edits: bit flips, byte changes, insertions, deletions, cuts.
    private func mutate(_ bytes: inout [UInt8], _ generator: inout SeededGenerator) {
        for _ in 0..<(1 + generator.below(4)) {
            guard !bytes.isEmpty else {
                bytes.append(generator.byte())
                continue
            }
            let index = generator.below(bytes.count)
            switch generator.below(6) {
            case 0: bytes[index] ^= 1 << UInt8(generator.below(8))
            case 1: bytes[index] = generator.byte()
            case 2: bytes.insert(generator.byte(), at: index)
            case 3: bytes.remove(at: index)
            case 4: bytes.removeLast(bytes.count - index)
            default: bytes[index] = [0x00, 0x01, 0x7f, 0x80, 0xff][generator.below(5)]
            }
        }
    }
}
