import Foundation
import SeededRandom
import Trace
import XCTest

final class TraceBundleTests: XCTestCase {
    /// A finished (or unfinished) trace with 40 events, an executable and a library.
    private func makeTrace(in temporary: TemporaryDirectory, complete: Bool = true) throws -> TraceDirectory {
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let writer = try TraceWriter(directory: directory, header: SampleEvents.header())
        var generator = SeededGenerator(seed: 11)
        try writeBytes(generator.bytes(3000), to: temporary.file("program"))
        try writeBytes(generator.bytes(2000), to: temporary.file("libfoo.so"))
        _ = try writer.files.storeFile(at: temporary.file("program"), executable: true)
        _ = try writer.files.storeFile(at: temporary.file("libfoo.so"), executable: false)
        for event in SampleEvents.sequence(count: 40, seed: 12) {
            try writer.append(event)
        }
        if complete {
            try writer.finish(header: SampleEvents.header())
        } else {
            try writer.flush()
        }
        return directory
    }

    /// Packs a fresh trace and returns the bundle's path.
    private func makeBundle(in temporary: TemporaryDirectory) throws -> String {
        let bundle = temporary.file("trace.rrdbg")
        try TraceBundleWriter.pack(try makeTrace(in: temporary), to: .path(bundle))
        return bundle
    }

    /// Every file under `path` (relative names) with its bytes and permission bits.
    private func contents(of path: String) throws -> [String: ([UInt8], mode_t)] {
        var files: [String: ([UInt8], mode_t)] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: path) {
            let full = path + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                name != TraceBundleCache.completionMarkerName
            else { continue }
            files[name] = (try readBytes(full), permissions(of: full) ?? 0)
        }
        return files
    }

    func testRoundTripRestoresEveryFileAndMode() throws {
        let temporary = try TemporaryDirectory()
        let trace = try makeTrace(in: temporary)
        let previous = umask(0)
        defer { umask(previous) }
        let bundle = temporary.file("out/trace.rrdbg")
        XCTAssertEqual(mkdir(temporary.file("out"), 0o755), 0)
        let summary = try TraceBundleWriter.pack(trace, to: .path(bundle))
        XCTAssertEqual(summary.entryCount, 4)
        XCTAssertTrue(summary.header.complete)
        XCTAssertEqual(summary.byteCount, UInt64(try readBytes(bundle).count))
        XCTAssertEqual(permissions(of: bundle), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.file("out")), ["trace.rrdbg"])

        let extracted = try TraceBundleCache(path: temporary.file("cache")).open(bundleAt: bundle)
        XCTAssertEqual(permissions(of: extracted.path), 0o700)
        XCTAssertEqual(permissions(of: extracted.filesPath), 0o700)
        let original = try contents(of: trace.path)
        let copy = try contents(of: extracted.path)
        XCTAssertEqual(Set(copy.keys), Set(original.keys))
        for (name, (bytes, mode)) in original {
            XCTAssertEqual(copy[name]?.0, bytes, name)
            XCTAssertEqual(copy[name]?.1, mode, name)
        }
        XCTAssertTrue(original.values.contains { $0.1 == 0o700 }, "the executable keeps its mode")
        XCTAssertEqual(try TraceReader(directory: extracted).readAll(), SampleEvents.sequence(count: 40, seed: 12))
    }

    func testArchivedFilesAreStoredOnce() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        try directory.writeHeader(SampleEvents.header())
        try writeBytes([], to: directory.eventsPath)
        var generator = SeededGenerator(seed: 21)
        let library = generator.bytes(200_000)
        let archive = FileArchive(directory: directory)
        for name in ["a.so", "b.so", "c.so"] {
            try writeBytes(library, to: temporary.file(name))
            _ = try archive.storeFile(at: temporary.file(name), executable: name == "c.so")
        }
        let bundle = temporary.file("trace.rrdbg")
        try TraceBundleWriter.pack(directory, to: .path(bundle))
        let reader = try TraceBundleReader(path: bundle)
        XCTAssertEqual(reader.entries.map(\.name), ["header.json", "events.lz4", "files/" + SHA256.hexDigest(of: library)])
        XCTAssertLessThan(try readBytes(bundle).count, library.count + 4096)
    }

    func testOpeningTwiceReusesTheExtraction() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let cache = TraceBundleCache(path: temporary.file("cache"))
        let first = try cache.open(bundleAt: bundle)
        var before = stat()
        XCTAssertEqual(stat(first.headerPath, &before), 0)
        let second = try cache.open(bundleAt: bundle)
        var after = stat()
        XCTAssertEqual(stat(second.headerPath, &after), 0)
        XCTAssertEqual(first, second)
        XCTAssertEqual(before.st_ino, after.st_ino, "not extracted again")
        XCTAssertEqual(baseName(first.path), try TraceBundleReader(path: bundle).contentDigest)
    }

    func testConcurrentOpensAgreeAndLeaveNoTemporaries() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let cache = TraceBundleCache(path: temporary.file("cache"))
        let lock = NSLock()
        nonisolated(unsafe) var results: [String] = []
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            let path = (try? cache.open(bundleAt: bundle).path) ?? "failed"
            lock.withLock { results.append(path) }
        }
        XCTAssertEqual(results.count, 6)
        XCTAssertEqual(Set(results).count, 1, "\(results)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [baseName(results[0])])
    }

    func testAbandonedAndIncompleteExtractionsAreReplaced() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let digest = try TraceBundleReader(path: bundle).contentDigest
        let cache = TraceBundleCache(path: temporary.file("cache"))
        // A process id above the kernel's limit belongs to no process.
        let abandoned = cache.path + "/." + digest + ".tmp-2147483000-1f"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cache.path + "/" + digest, withIntermediateDirectories: true)
        try writeBytes([1, 2, 3], to: cache.path + "/" + digest + "/header.json")
        let trace = try cache.open(bundleAt: bundle)
        XCTAssertTrue(try trace.readHeader().complete)
        XCTAssertEqual(try TraceReader(directory: trace).readAll().count, 40)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [digest])
    }

    func testAnExtractionDamagedLaterIsReplaced() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let cache = TraceBundleCache(path: temporary.file("cache"))
        let first = try cache.open(bundleAt: bundle)
        try writeBytes([], to: first.eventsPath)
        let second = try cache.open(bundleAt: bundle)
        XCTAssertEqual(second, first)
        XCTAssertEqual(try TraceReader(directory: second).readAll().count, 40)
    }

    func testAnUnfinishedRecordingCanBePacked() throws {
        let temporary = try TemporaryDirectory()
        let trace = try makeTrace(in: temporary, complete: false)
        try writeBytes([9, 9], to: trace.filesPath + "/.incoming.tmp-1-2")
        try writeBytes([9, 9], to: trace.headerPath + ".tmp-1-2")
        let bundle = temporary.file("trace.rrdbg")
        let summary = try TraceBundleWriter.pack(trace, to: .path(bundle))
        XCTAssertFalse(summary.header.complete)
        XCTAssertEqual(try TraceBundleReader(path: bundle).entries.count, 4, "temporary files are left out")
        let extracted = try TraceBundleCache(path: temporary.file("cache")).open(bundleAt: bundle)
        XCTAssertEqual(try TraceReader(directory: extracted).readAll().count, 40)
    }

    func testUnreadableOrDamagedTracesAreNotPacked() throws {
        let temporary = try TemporaryDirectory()
        let empty = try TraceDirectory.create(at: temporary.file("empty"))
        let bundle = temporary.file("x.rrdbg")
        XCTAssertEqual(assertTraceError(try TraceBundleWriter.pack(empty, to: .path(bundle))), .missingHeader(path: empty.path))

        let trace = try makeTrace(in: temporary)
        let archived = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: trace.filesPath).first)
        try writeBytes([1, 2, 3], to: trace.filesPath + "/" + archived)
        guard case .damagedTrace(let path, let reason)? = assertBundleError(try TraceBundleWriter.pack(trace, to: .path(bundle))) else {
            return XCTFail("expected damagedTrace")
        }
        XCTAssertEqual(path, trace.path)
        XCTAssertTrue(reason.contains(archived), reason)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted(), ["empty", "libfoo.so", "program", "trace"])
    }

    func testEveryTruncationIsRefused() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let original = try readBytes(bundle)
        let cache = TraceBundleCache(path: temporary.file("cache"))
        let cut = temporary.file("cut.rrdbg")
        for length in 0..<original.count {
            try writeBytes(Array(original[..<length]), to: cut)
            let expected: TraceBundleError = length == 0
                ? .notABundle(path: cut, reason: "it is empty")
                : .truncated(path: cut, size: UInt64(length), expectedSize: length < 92 ? nil : UInt64(original.count))
            XCTAssertEqual(assertBundleError(try cache.open(bundleAt: cut)), expected, "cut at \(length)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.path), "nothing was extracted")
    }

    func testEveryHeaderAndIndexByteFlipIsNamed() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let original = try readBytes(bundle)
        let indexOffset = original.count - indexLength(of: original)
        let damaged = temporary.file("damaged.rrdbg")
        var generator = SeededGenerator(seed: 31)
        for position in Array(0..<92) + Array(indexOffset..<original.count) {
            var bytes = original
            bytes[position] ^= UInt8(1 + generator.below(255))
            try writeBytes(bytes, to: damaged)
            if let error = assertBundleError(try TraceBundleReader(path: damaged)) {
                XCTAssertTrue(error.description.contains(damaged), "flip at \(position): \(error)")
            }
        }
    }

    func testRandomByteFlipsAreRefusedWhetherOrNotTheBundleWasUnpackedBefore() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        let original = try readBytes(bundle)
        let warm = TraceBundleCache(path: temporary.file("warm"))
        let intact = try warm.open(bundleAt: bundle)
        let cold = TraceBundleCache(path: temporary.file("cold"))
        let damaged = temporary.file("damaged.rrdbg")
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<150 {
            var bytes = original
            let position = generator.below(bytes.count)
            bytes[position] ^= UInt8(1 + generator.below(255))
            try writeBytes(bytes, to: damaged)
            XCTAssertNotNil(assertBundleError(try warm.open(bundleAt: damaged)), "flip at \(position)")
            XCTAssertNotNil(assertBundleError(try cold.open(bundleAt: damaged)), "flip at \(position)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cold.path), [], "no partial extraction is kept")
        XCTAssertEqual(try TraceReader(directory: intact).readAll().count, 40, "the good extraction is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: warm.path), [baseName(intact.path)])
    }

    func testAFutureVersionAsksForAnUpgrade() throws {
        let temporary = try TemporaryDirectory()
        let bundle = try makeBundle(in: temporary)
        var bytes = try readBytes(bundle)
        bytes[8] = 2
        try writeBytes(bytes, to: bundle)
        let error = assertBundleError(try TraceBundleReader(path: bundle))
        XCTAssertEqual(error, .newerVersion(path: bundle, found: 2, supported: 1))
        XCTAssertTrue(error?.description.contains("upgrade rrdbg") ?? false)
    }

    func testOtherFilesAreNotBundles() throws {
        let temporary = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 51)
        try writeBytes(generator.bytes(5000), to: temporary.file("noise"))
        try writeBytes([], to: temporary.file("empty"))
        try writeBytes(Array("RRDBGPAK".utf8) + [1, 0, 0, 0] + generator.bytes(200), to: temporary.file("forged"))
        var trailing = try readBytes(try makeBundle(in: temporary))
        trailing.append(0)
        try writeBytes(trailing, to: temporary.file("trailing"))
        XCTAssertEqual(
            assertBundleError(try TraceBundleReader(path: temporary.file("noise"))),
            .notABundle(path: temporary.file("noise"), reason: "it does not start with a bundle's signature"))
        XCTAssertEqual(
            assertBundleError(try TraceBundleReader(path: temporary.file("empty"))),
            .notABundle(path: temporary.file("empty"), reason: "it is empty"))
        XCTAssertEqual(
            assertBundleError(try TraceBundleReader(path: temporary.path)),
            .notABundle(path: temporary.path, reason: "it is not a regular file"))
        XCTAssertEqual(
            assertBundleError(try TraceBundleReader(path: temporary.file("forged"))),
            .corrupt(path: temporary.file("forged"), reason: "its header does not match its checksum"))
        XCTAssertEqual(
            assertBundleError(try TraceBundleReader(path: temporary.file("trailing"))),
            .corrupt(path: temporary.file("trailing"), reason: "it has 1 unexpected bytes after its end"))
    }

    func testStandardCachePath() throws {
        XCTAssertEqual(try TraceBundleCache.standardPath(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]), "/c/rrdbg/bundles")
        XCTAssertEqual(try TraceBundleCache.standardPath(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"]), "/h/.cache/rrdbg/bundles")
        XCTAssertEqual(try TraceBundleCache.standardPath(environment: ["HOME": "/h"]), "/h/.cache/rrdbg/bundles")
    }
}

/// Asserts that `body` throws a `TraceBundleError` and returns it.
@discardableResult
private func assertBundleError<T>(
    _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> TraceBundleError? {
    do {
        _ = try body()
        XCTFail("expected a TraceBundleError", file: file, line: line)
    } catch let error as TraceBundleError {
        return error
    } catch {
        XCTFail("expected a TraceBundleError, got \(error)", file: file, line: line)
    }
    return nil
}

/// The index length field of a bundle (bytes 20..<28 of format version 1).
private func indexLength(of bytes: [UInt8]) -> Int {
    bytes[20..<28].reversed().reduce(0) { $0 << 8 | Int($1) }
}

private func baseName(_ path: String) -> String {
    URL(fileURLWithPath: path).lastPathComponent
}
