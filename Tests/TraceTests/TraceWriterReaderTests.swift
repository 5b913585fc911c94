import SeededRandom
import Foundation
import Trace
import XCTest

final class TraceWriterReaderTests: XCTestCase {
    /// Records `events` into a new trace and returns its directory.
    private func record(
        _ events: [TraceEvent], in temporary: TemporaryDirectory, frameSizeLimit: Int = TraceWriter.defaultFrameSizeLimit,
        flushInterval: Double = 60
    ) throws -> TraceDirectory {
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let writer = try TraceWriter(
            directory: directory, header: SampleEvents.header(), frameSizeLimit: frameSizeLimit, flushInterval: flushInterval)
        for event in events {
            try writer.append(event)
        }
        var final = writer.header
        final.endReason = "exited"
        final.exitStatus = .exited(0)
        try writer.finish(header: final)
        return directory
    }

    func testRoundTripThroughFiles() throws {
        let temporary = try TemporaryDirectory()
        let events = SampleEvents.everyKind + SampleEvents.sequence(count: 500, seed: 1)
        let directory = try record(events, in: temporary)
        let reader = try TraceReader(path: directory.path)
        XCTAssertNil(reader.lastEventIndex)
        XCTAssertEqual(try reader.readAll(), events)
        XCTAssertEqual(reader.lastEventIndex, events.count - 1)
        XCTAssertFalse(reader.isTruncated)
        XCTAssertNil(try reader.next(), "the end stays the end")
        XCTAssertTrue(reader.header.complete)
        XCTAssertEqual(reader.header.eventCount, events.count)
        XCTAssertEqual(reader.header.bytesRecorded, Int64(SampleEvents.encode(events).count))
        XCTAssertEqual(reader.header.exitStatus, .exited(0))
        XCTAssertNotNil(reader.header.endTime)
        XCTAssertEqual(permissions(of: directory.eventsPath), 0o600)
        XCTAssertEqual(permissions(of: directory.headerPath), 0o600)
        XCTAssertEqual(permissions(of: directory.path), 0o700)
    }

    func testManySmallFramesRoundTrip() throws {
        let temporary = try TemporaryDirectory()
        let events = SampleEvents.sequence(count: 300, seed: 2)
        let directory = try record(events, in: temporary, frameSizeLimit: 500)
        XCTAssertGreaterThan(try countFrames(directory.eventsPath), 20)
        XCTAssertEqual(try TraceReader(directory: directory).readAll(), events)
    }

    func testBigEventsRoundTripAndNeverSpanFrames() throws {
        let temporary = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 5)
        let big = TraceEvent.syscall(SyscallEvent(
            tid: 9, registers: SampleEvents.registers(9), result: 4 << 20,
            memoryWrites: [MemoryWrite(address: 0x4000, bytes: generator.bytes(4 << 20))]))
        let events = [SampleEvents.exec, big, SampleEvents.rdtsc, big, SampleEvents.exited]
        let directory = try record(events, in: temporary, frameSizeLimit: 1 << 20)
        XCTAssertEqual(try countFrames(directory.eventsPath), 3)
        XCTAssertEqual(try TraceReader(directory: directory).readAll(), events)
    }

    func testLZ4ToolDecompressesTheEventStream() throws {
        let tool = "/usr/bin/lz4"
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw XCTSkip("lz4 is not installed") }
        let temporary = try TemporaryDirectory()
        let events = SampleEvents.sequence(count: 200, seed: 3)
        let directory = try record(events, in: temporary, frameSizeLimit: 2000)
        let output = temporary.file("events.raw")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-d", "-q", directory.eventsPath, output]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        // Frames restart the register deltas, so decode the raw bytes frame by frame.
        let raw = try readBytes(output)
        let frames = try LZ4FrameReader(path: directory.eventsPath)
        var decoded: [TraceEvent] = []
        var offset = 0
        while let frame = try frames.nextFrame() {
            XCTAssertEqual(Array(raw[offset..<(offset + frame.count)]), frame)
            offset += frame.count
            var decoder = EventCodec.Decoder()
            decoded += try decoder.decodeAll(frame)
        }
        XCTAssertEqual(offset, raw.count)
        XCTAssertEqual(decoded, events)
    }

    func testHeaderIsWrittenIncompleteAtStart() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        var header = SampleEvents.header()
        header.complete = true
        let writer = try TraceWriter(directory: directory, header: header)
        XCTAssertFalse(try directory.readHeader().complete)
        try writer.append(SampleEvents.rdtsc)
        XCTAssertEqual(writer.eventCount, 1)
        let reader = try TraceReader(directory: directory)
        XCTAssertFalse(reader.header.complete)
        XCTAssertEqual(try reader.readAll(), [], "nothing flushed yet")
        try writer.finish(header: header)
        XCTAssertEqual(try TraceReader(directory: directory).readAll(), [SampleEvents.rdtsc])
    }

    func testFlushIntervalBoundsWhatAKilledRecorderLoses() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let writer = try TraceWriter(directory: directory, header: SampleEvents.header(), flushInterval: 0.05)
        try writer.append(SampleEvents.rdtsc)
        usleep(80_000)
        try writer.flushIfDue()
        try writer.append(SampleEvents.cpuid)
        usleep(80_000)
        try writer.append(SampleEvents.exited)
        // The writer is never finished, as if the recorder had been killed.
        XCTAssertEqual(try TraceReader(directory: directory).readAll(), [SampleEvents.rdtsc, SampleEvents.cpuid, SampleEvents.exited])
        XCTAssertTrue((2...3).contains(try countFrames(directory.eventsPath)), "flushed by time, not by size")
    }

    func testTruncationAtEveryOffsetYieldsOnlyCompleteFrames() throws {
        let temporary = try TemporaryDirectory()
        let events = SampleEvents.sequence(count: 30, seed: 4, maximumBytes: 12)
        let directory = try record(events, in: temporary, frameSizeLimit: 250)
        let full = try readBytes(directory.eventsPath)
        let frameEnds = try frameEndOffsetsAndEventCounts(directory.eventsPath)
        XCTAssertGreaterThan(frameEnds.count, 5)

        let cut = try TraceDirectory.create(at: temporary.file("cut"))
        try cut.writeHeader(try directory.readHeader())
        try writeBytes(full, to: cut.eventsPath)
        for length in (0...full.count).reversed() {
            XCTAssertEqual(truncate(cut.eventsPath, off_t(length)), 0)
            let reader = try TraceReader(directory: cut)
            let expectedCount = frameEnds.last(where: { $0.end <= length })?.events ?? 0
            do {
                let read = try reader.readAll()
                XCTAssertEqual(read, Array(events.prefix(expectedCount)), "length \(length)")
                XCTAssertEqual(reader.isTruncated, !frameEnds.contains { $0.end == length } && length > 0, "length \(length)")
            } catch let error as TraceError {
                XCTFail("length \(length): truncation should not be reported as \(error)")
            }
        }
    }

    func testCorruptEventIsReportedWithItsIndex() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        try directory.writeHeader(SampleEvents.header())
        let stream = try LZ4FrameWriter(path: directory.eventsPath)
        stream.append(SampleEvents.encode([SampleEvents.rdtsc, SampleEvents.cpuid]) + [0x77, 0])
        try stream.close()
        let reader = try TraceReader(directory: directory)
        XCTAssertEqual(try reader.next(), SampleEvents.rdtsc)
        XCTAssertEqual(try reader.next(), SampleEvents.cpuid)
        let error = assertTraceError(try reader.next())
        XCTAssertEqual(
            error?.description,
            "trace event 2 in events.lz4 (frame 0) is corrupt: unknown trace event kind 119; the trace may come from a newer rrdbg")
        XCTAssertEqual(reader.lastEventIndex, 1)
        XCTAssertNotNil(assertTraceError(try reader.next()), "errors are sticky")
    }

    func testReaderRefusesNewerFormatsAndMissingTraces() throws {
        let temporary = try TemporaryDirectory()
        let directory = try record([SampleEvents.rdtsc], in: temporary)
        var header = try directory.readHeader()
        header.formatVersion = TraceHeader.currentFormatVersion + 1
        try directory.writeHeader(header)
        XCTAssertEqual(
            assertTraceError(try TraceReader(directory: directory)),
            .unsupportedFormatVersion(found: TraceHeader.currentFormatVersion + 1, supported: TraceHeader.currentFormatVersion))
        XCTAssertEqual(assertTraceError(try TraceReader(path: temporary.file("nothing"))), .noTrace(path: temporary.file("nothing")))
        unlink(directory.headerPath)
        XCTAssertEqual(assertTraceError(try TraceReader(directory: directory)), .missingHeader(path: directory.path))
    }

    func testArchivedFilesAreReachableFromTheReader() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let writer = try TraceWriter(directory: directory, header: SampleEvents.header())
        try writeBytes(Array("ELF-ish".utf8), to: temporary.file("program"))
        let hash = try writer.files.storeFile(at: temporary.file("program"), executable: true)
        try writer.finish(header: writer.header)
        let reader = try TraceReader(directory: directory)
        XCTAssertEqual(try readBytes(try reader.path(forFile: hash)), Array("ELF-ish".utf8))
    }

    private func countFrames(_ path: String) throws -> Int {
        let reader = try LZ4FrameReader(path: path)
        while try reader.nextFrame() != nil {}
        return reader.framesRead
    }

    /// For each frame: the file offset where it ends and the number of events up to its end.
    private func frameEndOffsetsAndEventCounts(_ path: String) throws -> [(end: Int, events: Int)] {
        let reader = try LZ4FrameReader(path: path)
        var result: [(end: Int, events: Int)] = []
        var total = 0
        while let frame = try reader.nextFrame() {
            var decoder = EventCodec.Decoder()
            total += try decoder.decodeAll(frame).count
            result.append((Int(reader.completeFramesEndOffset), total))
        }
        return result
    }
}
