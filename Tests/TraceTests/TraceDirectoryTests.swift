import SeededRandom
import Foundation
import Trace
import XCTest

final class TraceDirectoryTests: XCTestCase {
    func testCreatedDirectoriesAre0700WhateverTheUmask() throws {
        let temporary = try TemporaryDirectory()
        let previous = umask(0)
        defer { umask(previous) }
        let directory = try TraceDirectory.create(at: temporary.file("a/b/trace"))
        XCTAssertEqual(permissions(of: directory.path), 0o700)
        XCTAssertEqual(permissions(of: directory.filesPath), 0o700)
        XCTAssertEqual(permissions(of: temporary.file("a")), 0o700)
    }

    func testCreateReusesAnEmptyDirectoryAndRefusesAFullOne() throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.file("trace")
        XCTAssertEqual(mkdir(path, 0o755), 0)
        let directory = try TraceDirectory.create(at: path)
        XCTAssertEqual(permissions(of: path), 0o700)
        let error = assertTraceError(try TraceDirectory.create(at: directory.path))
        XCTAssertEqual(error, .traceDirectoryNotEmpty(path: path))
        try writeBytes([1], to: temporary.file("plain-file"))
        XCTAssertNotNil(assertTraceError(try TraceDirectory.create(at: temporary.file("plain-file"))))
    }

    func testOpenRequiresAHeader() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        XCTAssertEqual(assertTraceError(try TraceDirectory.open(at: directory.path)), .missingHeader(path: directory.path))
        XCTAssertEqual(assertTraceError(try TraceDirectory.open(at: temporary.file("nope"))), .noTrace(path: temporary.file("nope")))
        try directory.writeHeader(SampleEvents.header())
        XCTAssertEqual(try TraceDirectory.open(at: directory.path), directory)
    }

    func testFileHashesMustBeLowercaseHex() throws {
        let directory = TraceDirectory(path: "/t")
        let good = String(repeating: "0123456789abcdef", count: 4)
        XCTAssertEqual(try directory.path(forFile: good), "/t/files/" + good)
        for bad in ["", "../../etc/passwd", good.uppercased(), String(good.dropLast()), good + "0", String(good.dropLast()) + "g"] {
            XCTAssertEqual(assertTraceError(try directory.path(forFile: bad)), .invalidFileHash(bad))
        }
    }

    func testStoreFileCopiesByContentHashWithModes() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let archive = FileArchive(directory: directory)
        var generator = SeededGenerator(seed: 77)
        let library = generator.bytes(3 << 20 | 17)
        try writeBytes(library, to: temporary.file("libfoo.so"))
        try writeBytes(Array("#!/bin/sh\n".utf8), to: temporary.file("program"))

        let libraryHash = try archive.storeFile(at: temporary.file("libfoo.so"), executable: false)
        XCTAssertEqual(libraryHash, SHA256.hexDigest(of: library))
        let libraryCopy = try directory.path(forFile: libraryHash)
        XCTAssertEqual(try readBytes(libraryCopy), library)
        XCTAssertEqual(permissions(of: libraryCopy), 0o600)

        let programHash = try archive.storeFile(at: temporary.file("program"), executable: true)
        XCTAssertEqual(programHash, SHA256.hexDigest(of: Array("#!/bin/sh\n".utf8)))
        XCTAssertEqual(permissions(of: try directory.path(forFile: programHash)), 0o700)

        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: directory.filesPath).sorted(),
            [libraryHash, programHash].sorted(), "no temporary files are left behind")
    }

    func testStoringTheSameContentTwiceKeepsOneCopy() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let archive = FileArchive(directory: directory)
        try writeBytes(Array("same".utf8), to: temporary.file("one"))
        try writeBytes(Array("same".utf8), to: temporary.file("two"))
        let first = try archive.storeFile(at: temporary.file("one"), executable: false)
        let second = try archive.storeFile(at: temporary.file("two"), executable: true)
        let again = try archive.storeFile(at: temporary.file("one"), executable: false)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, again)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.filesPath), [first])
        XCTAssertEqual(permissions(of: try directory.path(forFile: first)), 0o700, "needed as an executable once")
    }

    func testCacheIsInvalidatedWhenTheFileChanges() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let archive = FileArchive(directory: directory)
        let path = temporary.file("changing")
        try writeBytes(Array("version one".utf8), to: path)
        let first = try archive.storeFile(at: path, executable: false)
        try writeBytes(Array("version two, longer".utf8), to: path)
        let second = try archive.storeFile(at: path, executable: false)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(second, SHA256.hexDigest(of: Array("version two, longer".utf8)))
    }

    func testStoreFromDescriptorLeavesItsPositionAlone() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let archive = FileArchive(directory: directory)
        let contents = Array("content read through an open descriptor".utf8)
        try writeBytes(contents, to: temporary.file("opened"))
        let descriptor = open(temporary.file("opened"), O_RDONLY)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        XCTAssertEqual(lseek(descriptor, 5, SEEK_SET), 5)
        let hash = try archive.storeFile(descriptor: descriptor, executable: false, originalPath: "opened")
        XCTAssertEqual(hash, SHA256.hexDigest(of: contents))
        XCTAssertEqual(lseek(descriptor, 0, SEEK_CUR), 5)
    }

    func testOnlyRegularFilesAreArchived() throws {
        let temporary = try TemporaryDirectory()
        let directory = try TraceDirectory.create(at: temporary.file("trace"))
        let archive = FileArchive(directory: directory)
        XCTAssertEqual(assertTraceError(try archive.storeFile(at: "/dev/zero", executable: false)), .notARegularFile(path: "/dev/zero"))
        XCTAssertNotNil(assertTraceError(try archive.storeFile(at: temporary.file("missing"), executable: false)))
    }
}
