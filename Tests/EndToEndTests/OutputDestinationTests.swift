import Foundation
import XCTest

/// Where `pack -o` and `timeline -o` may write, through the real binary: a regular file or a
/// missing path is replaced, a device, a FIFO and standard output are written through, and a
/// symbolic link is never replaced (issue 15: as root, `pack -o /dev/null` turned /dev/null into
/// a regular file).
final class OutputDestinationTests: ScratchTestCase {
    private var environment: [String: String] { ["XDG_CACHE_HOME": path("cache"), "RRDBG_TRACE_DIR": path("root")] }

    /// A recorded trace and its bundle packed the ordinary way, to compare other outputs with.
    private func recordedTrace() throws -> (trace: String, bundle: Data) {
        let program = try GuestPrograms.build("exit42", in: scratch)
        let (recorded, trace) = try record([program])
        XCTAssertEqual(recorded.status, 42, recorded.stderr)
        let reference = path("reference.rrdbg")
        let packed = try RRDBGCommand.run(["pack", trace, "-o", reference], environment: environment)
        XCTAssertEqual(packed.status, 0, packed.stderr)
        return (trace, try Data(contentsOf: URL(fileURLWithPath: reference)))
    }

    private func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    func testAFIFOIsWrittenThroughNotReplaced() throws {
        let (trace, bundle) = try recordedTrace()
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = path("received")
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "exec cat \"$0\" > \"$1\"", fifo, received]
        try reader.run()

        let packed = try RRDBGCommand.run(["pack", trace, "-o", fifo], environment: environment, timeout: 60)
        // Should rrdbg not open the FIFO, the reader would wait for ever: let it go.
        let deadline = Date().addingTimeInterval(10)
        while reader.isRunning && Date() < deadline { usleep(10_000) }
        if reader.isRunning { reader.terminate() }
        reader.waitUntilExit()

        XCTAssertEqual(packed.status, 0, packed.stderr)
        XCTAssertEqual(fileType(fifo), S_IFIFO, "the FIFO is still a FIFO")
        XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: received)), bundle, "the reader got the whole bundle")
    }

    /// The bug itself: a character device is written through and stays a device. A node of our
    /// own (the null device's numbers) comes first, so that /dev/null is only tried once the
    /// fix is known to be there.
    func testACharacterDeviceStaysADevice() throws {
        let (trace, _) = try recordedTrace()
        guard getuid() == 0 else { throw XCTSkip("making a device node needs root") }
        let device = path("null")
        // makedev(1, 3), which Swift does not import: major in bits 8-19, minor in bits 0-7.
        let null = dev_t(1 << 8 | 3)
        XCTAssertEqual(mknod(device, S_IFCHR | 0o666, null), 0, String(cString: strerror(errno)))
        for command in [["pack", trace, "-o", device], ["timeline", trace, "-o", device]] {
            let result = try RRDBGCommand.run(command, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(fileType(device), S_IFCHR, "\(command[0]) -o left a character device in place")
        }
        guard fileType(device) == S_IFCHR else { return }
        let result = try RRDBGCommand.run(["pack", trace, "-o", "/dev/null"], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR, "/dev/null is still a character device")
    }

    func testDashIsStandardOutputEvenThroughAPipe() throws {
        let (trace, bundle) = try recordedTrace()
        let received = path("piped.rrdbg")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" pack \"$1\" -o - | cat > \"$2\"", RRDBGCommand.executable, trace, received]
        shell.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        shell.currentDirectoryURL = scratch
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: received)), bundle, "the pipe got the whole bundle")
        XCTAssertNil(fileType(path("-")), "no file named '-' is made")

        let page = try RRDBGCommand.run(["timeline", trace, "-o", "-"], environment: environment, currentDirectory: scratch.path)
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertTrue(page.stdoutText.hasPrefix("<!DOCTYPE html>"), page.stdoutText)
        XCTAssertTrue(page.stderr.hasSuffix(" to standard output\n"), page.stderr)
        XCTAssertNil(fileType(path("-")), "no file named '-' is made")
    }

    /// A link to a file has its target replaced and stays a link; a link to nothing, or to
    /// something that is neither a file, a device nor a FIFO, is refused and left alone.
    func testSymbolicLinksAreNeverReplaced() throws {
        let (trace, bundle) = try recordedTrace()
        let target = path("target.rrdbg")
        let link = path("link.rrdbg")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.rrdbg")
        let packed = try RRDBGCommand.run(["pack", trace, "-o", link], environment: environment)
        XCTAssertEqual(packed.status, 0, packed.stderr)
        XCTAssertEqual(fileType(link), S_IFLNK, "the link is still a link")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "target.rrdbg")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), bundle, "the link's target got the bundle")

        let pageTarget = path("page.html")
        let pageLink = path("page-link.html")
        try Data("old".utf8).write(to: URL(fileURLWithPath: pageTarget))
        try FileManager.default.createSymbolicLink(atPath: pageLink, withDestinationPath: pageTarget)
        let page = try RRDBGCommand.run(["timeline", trace, "-o", pageLink], environment: environment)
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertEqual(fileType(pageLink), S_IFLNK, "the link is still a link")
        XCTAssertTrue(try String(contentsOfFile: pageTarget, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))

        let dangling = path("dangling.rrdbg")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: path("missing/nothing"))
        let refused = try RRDBGCommand.run(["pack", trace, "-o", dangling], environment: environment)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("cannot write \(dangling): it is a symbolic link that leads to nothing"), refused.stderr)
        XCTAssertEqual(fileType(dangling), S_IFLNK, "the link is left alone")

        let socketLink = path("socket-link")
        let server = try UnixSocket(path: path("socket"))
        defer { server.close() }
        try FileManager.default.createSymbolicLink(atPath: socketLink, withDestinationPath: path("socket"))
        let toSocket = try RRDBGCommand.run(["timeline", trace, "-o", socketLink], environment: environment)
        XCTAssertEqual(toSocket.status, 1, toSocket.stderr)
        XCTAssertEqual(fileType(path("socket")), S_IFSOCK, "the socket is left alone")
        XCTAssertEqual(fileType(socketLink), S_IFLNK, "the link is left alone")
    }
}

/// A bound Unix socket, as something at a path that is neither a file, a device nor a FIFO.
private struct UnixSocket {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
    }

    func close() { Glibc.close(descriptor) }
}
