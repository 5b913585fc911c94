import SeededRandom
import Foundation
import XCTest

@testable import Trace

final class LZ4FrameTests: XCTestCase {
    /// Writes `frames` as one frame each and returns the file's path.
    private func writeStream(_ frames: [[UInt8]], in directory: TemporaryDirectory, name: String = "stream.lz4") throws -> String {
        let path = directory.file(name)
        let writer = try LZ4FrameWriter(path: path)
        for frame in frames {
            writer.append(frame)
            try writer.flushFrame()
        }
        try writer.close()
        return path
    }

    private func readFrames(_ path: String, chunkSize: Int = 4 << 20) throws -> (frames: [[UInt8]], truncated: Bool) {
        let reader = try LZ4FrameReader(path: path, chunkSize: chunkSize)
        var frames: [[UInt8]] = []
        while let frame = try reader.nextFrame() {
            frames.append(frame)
        }
        return (frames, reader.isTruncated)
    }

    private func sampleFrames() -> [[UInt8]] {
        var generator = SeededGenerator(seed: 7)
        return [
            Array("hello, frame".utf8),
            [UInt8](repeating: 0, count: 300_000),
            generator.bytes(70_000),
            Array(repeating: Array("compressible text ".utf8), count: 5000).flatMap { $0 },
            [42],
        ]
    }

    func testFramesRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let frames = sampleFrames()
        let path = try writeStream(frames, in: directory)
        let result = try readFrames(path)
        XCTAssertEqual(result.frames, frames)
        XCTAssertFalse(result.truncated)
    }

    func testTinyReadChunksGiveTheSameFrames() throws {
        let directory = try TemporaryDirectory()
        let frames = Array(sampleFrames().prefix(3))
        let path = try writeStream(frames, in: directory)
        for chunkSize in [1, 7, 4096] {
            XCTAssertEqual(try readFrames(path, chunkSize: chunkSize).frames, frames, "chunk size \(chunkSize)")
        }
    }

    func testFramesLargerThanABlockRoundTrip() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 11)
        let frames = [generator.bytes(9 << 20), generator.bytes(5)]
        let path = try writeStream(frames, in: directory)
        XCTAssertEqual(try readFrames(path).frames, frames)
    }

    func testEmptyFlushWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.lz4")
        let writer = try LZ4FrameWriter(path: path)
        try writer.flushFrame()
        try writer.close()
        XCTAssertEqual(writer.framesWritten, 0)
        let result = try readFrames(path)
        XCTAssertEqual(result.frames, [])
        XCTAssertFalse(result.truncated)
    }

    func testCountersAndFileMode() throws {
        let directory = try TemporaryDirectory()
        let frames = sampleFrames()
        let path = directory.file("counted.lz4")
        let writer = try LZ4FrameWriter(path: path)
        for frame in frames {
            writer.append(frame)
            XCTAssertEqual(writer.bufferedByteCount, frame.count)
            try writer.flushFrame()
        }
        try writer.close()
        XCTAssertEqual(writer.framesWritten, frames.count)
        XCTAssertEqual(writer.uncompressedBytesWritten, Int64(frames.map(\.count).reduce(0, +)))
        XCTAssertEqual(writer.compressedBytesWritten, Int64(try readBytes(path).count))
        XCTAssertEqual(permissions(of: path), 0o600)
    }

    func testWriterRefusesToOverwrite() throws {
        let directory = try TemporaryDirectory()
        let path = try writeStream([[1]], in: directory)
        XCTAssertNotNil(assertTraceError(try LZ4FrameWriter(path: path)))
    }

    func testLZ4CommandLineToolReadsTheStream() throws {
        let tool = "/usr/bin/lz4"
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw XCTSkip("lz4 is not installed") }
        let directory = try TemporaryDirectory()
        let frames = sampleFrames()
        let path = try writeStream(frames, in: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-d", "-c", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let decompressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(Array(decompressed), frames.flatMap { $0 })
    }

    func testTruncationAtEveryOffsetKeepsCompleteFrames() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 3)
        let frames = (0..<6).map { index in generator.bytes(40 + index * 30) }
        let full = try readBytes(try writeStream(frames, in: directory))
        let boundaries = try frameEndOffsets(directory.file("stream.lz4"))
        XCTAssertEqual(boundaries.count, frames.count)
        let cutPath = directory.file("cut.lz4")
        try writeBytes(full, to: cutPath)
        for length in (0...full.count).reversed() {
            XCTAssertEqual(truncate(cutPath, off_t(length)), 0)
            let result = try readFrames(cutPath, chunkSize: 64)
            let completeFrames = boundaries.filter { $0 <= length }.count
            XCTAssertEqual(result.frames, Array(frames.prefix(completeFrames)), "length \(length)")
            XCTAssertEqual(result.truncated, length != 0 && !boundaries.contains(length), "length \(length)")
        }
    }

    func testCorruptionIsReportedWithOffsetAndFrame() throws {
        let directory = try TemporaryDirectory()
        let frames = [Array("first frame".utf8), Array("second frame, which will be damaged".utf8)]
        let path = try writeStream(frames, in: directory)
        var bytes = try readBytes(path)
        let boundaries = try frameEndOffsets(path)
        // Frame header (magic, flags, content size, checksum) is 15 bytes, then a 4-byte block size.
        bytes[boundaries[0] + 21] ^= 0x10
        try writeBytes(bytes, to: path)
        let reader = try LZ4FrameReader(path: path)
        XCTAssertEqual(try reader.nextFrame(), frames[0])
        guard case .corruptStream(let file, let offset, let frame, let reason)? = assertTraceError(try reader.nextFrame()) else {
            return XCTFail("expected corruptStream")
        }
        XCTAssertEqual(file, "stream.lz4")
        XCTAssertEqual(frame, 1)
        XCTAssertGreaterThanOrEqual(offset, Int64(boundaries[0]))
        XCTAssertTrue(reason.contains("checksum"), reason)
        XCTAssertNotNil(assertTraceError(try reader.nextFrame()), "errors are sticky")
    }

    func testGarbageIsNotAFrame() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("garbage.lz4")
        try writeBytes(Array("this is not lz4 at all".utf8), to: path)
        let error = assertTraceError(try readFrames(path))
        XCTAssertEqual(error?.description.contains("at byte 0 of garbage.lz4 (frame 0)"), true, "\(String(describing: error))")
    }

    func testFrameSizeCapStopsOversizedFrames() throws {
        let directory = try TemporaryDirectory()
        let path = try writeStream([[UInt8](repeating: 1, count: 100), [UInt8](repeating: 2, count: 5000)], in: directory)
        let reader = try LZ4FrameReader(path: path, maximumFrameSize: 1000)
        XCTAssertEqual(try reader.nextFrame()?.count, 100)
        let error = assertTraceError(try reader.nextFrame())
        XCTAssertEqual(error?.description.contains("more than 1000 bytes"), true, "\(String(describing: error))")
    }

    func testMissingFileIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let error = assertTraceError(try LZ4FrameReader(path: directory.file("absent.lz4")))
        XCTAssertEqual(error?.description.contains("absent.lz4"), true)
    }

    func testFullDiskIsReportedAsSuch() throws {
        let descriptor = open("/dev/full", O_WRONLY)
        guard descriptor >= 0 else { throw XCTSkip("/dev/full is not available") }
        defer { close(descriptor) }
        let error = assertTraceError(try [UInt8](repeating: 0, count: 10).withUnsafeBytes {
            try POSIXFile.writeAll(descriptor, $0, path: "/dev/full")
        })
        XCTAssertEqual(error, .diskFull(path: "/dev/full"))
        XCTAssertEqual(error?.description.hasPrefix("disk full while writing trace"), true)
    }

    /// A write that fails part way (here: the file size limit) must leave the file ending at the
    /// previous frame and keep the buffered bytes, so a later flush can still write them.
    func testFailedWriteKeepsEarlierFramesAndTheBuffer() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("limited.lz4")
        let writer = try LZ4FrameWriter(path: path)
        writer.append(Array("small first frame".utf8))
        try writer.flushFrame()
        let firstFrameEnd = writer.compressedBytesWritten

        var generator = SeededGenerator(seed: 21)
        let incompressible = generator.bytes(200_000)
        let fileSizeLimit = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        var previousLimit = rlimit()
        getrlimit(fileSizeLimit, &previousLimit)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = previousLimit
        limit.rlim_cur = rlim_t(firstFrameEnd + 50_000)
        XCTAssertEqual(setrlimit(fileSizeLimit, &limit), 0)
        writer.append(incompressible)
        let error = assertTraceError(try writer.flushFrame())
        XCTAssertEqual(setrlimit(fileSizeLimit, &previousLimit), 0)
        signal(SIGXFSZ, previousHandler)

        XCTAssertEqual(error?.description.contains("limited.lz4"), true, "\(String(describing: error))")
        XCTAssertEqual(try readBytes(path).count, Int(firstFrameEnd), "the torn frame was cut off")
        XCTAssertEqual(writer.bufferedByteCount, incompressible.count)
        XCTAssertEqual(try readFrames(path).frames, [Array("small first frame".utf8)])

        try writer.flushFrame()
        try writer.close()
        XCTAssertEqual(try readFrames(path).frames, [Array("small first frame".utf8), incompressible])
    }

    /// The file offsets where each frame of a valid stream ends.
    private func frameEndOffsets(_ path: String) throws -> [Int] {
        let reader = try LZ4FrameReader(path: path)
        var offsets: [Int] = []
        while try reader.nextFrame() != nil {
            offsets.append(Int(reader.completeFramesEndOffset))
        }
        return offsets
    }
}
