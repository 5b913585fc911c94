import Foundation
import GDBServer
import XCTest

/// Who gets to be the gdb session: the gate in front of real loopback and Unix sockets.
final class ConnectionGateTests: XCTestCase {
    private var diagnostics: [String] = []

    private func gate(_ listener: any GDBListener, timeout: Double = 5) -> ConnectionGate {
        ConnectionGate(listener: listener, firstPacketTimeout: timeout) { [unowned self] in diagnostics.append($0) }
    }

    func testTheUsersOwnConnectionIsAdmittedWithItsFirstBytes() throws {
        let listener = try TCPListener(port: 0)
        let client = try TestClient(port: listener.port)
        client.send("+$qC#b4")

        let connection = try gate(listener).nextConnection()

        XCTAssertEqual(connection.peerUserID, getuid())
        XCTAssertEqual(try connection.read(waiting: true).map { String(decoding: $0, as: UTF8.self) }, "+$qC#b4",
                       "the session reads what the gate looked at")
        XCTAssertEqual(diagnostics, [])
    }

    /// A connection that never speaks (a port scan, a slowloris) must not hold the one-shot stub.
    func testASilentConnectionIsClosedAndTheGateKeepsListening() throws {
        let listener = try TCPListener(port: 0)
        let idle = try TestClient(port: listener.port)
        let garbage = try TestClient(port: listener.port)
        garbage.send("GET / HTTP/1.0\r\n\r\n$bad#00")
        let gdb = try TestClient(port: listener.port)
        gdb.send("$qC#b4")

        let start = Date()
        let connection = try gate(listener, timeout: 0.3).nextConnection()

        XCTAssertEqual(try connection.read(waiting: true).map { String(decoding: $0, as: UTF8.self) }, "$qC#b4")
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertTrue(idle.isClosed(within: 1))
        XCTAssertTrue(garbage.isClosed(within: 1), "a bad checksum is no gdb packet")
        XCTAssertEqual(diagnostics.count, 2, "\(diagnostics)")
        XCTAssertTrue(diagnostics.allSatisfy { $0.contains("sent no gdb packet within 1 s") }, "\(diagnostics)")
    }

    /// Another local user must not reach the replay: it would read the program's memory and
    /// recorded environment. Needs root, to connect as `nobody`.
    func testAnotherUsersConnectionIsRefusedAndTheGateKeepsListening() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to connect as another user") }
        let listener = try TCPListener(port: 0)
        let intruder = Process()
        intruder.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        intruder.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", "/bin/bash", "-c",
                              "exec 3<>/dev/tcp/127.0.0.1/\(listener.port); printf '$qC#b4' >&3; sleep 10"]
        try intruder.run()
        defer { intruder.terminate() }
        try waitForConnection(toPort: listener.port, fromUser: 65534)
        let gdb = try TestClient(port: listener.port)
        gdb.send("$qC#b4")

        let connection = try gate(listener).nextConnection()

        XCTAssertEqual(connection.peerUserID, 0)
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics.first?.contains("belongs to uid 65534, and only uid 0") ?? false, "\(diagnostics)")
    }

    func testAUnixSocketIsPrivateAndRemovedAfterwards() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-gate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/gdb.sock"
        let previousMask = umask(0)
        defer { umask(previousMask) }
        var listener: UnixSocketListener? = try UnixSocketListener(path: path)

        var status = stat()
        XCTAssertEqual(lstat(path, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(status.st_mode & 0o777, 0o600, "even under umask 0")
        XCTAssertThrowsError(try UnixSocketListener(path: path), "an existing file is never replaced")
        let client = try TestClient(socketPath: path)
        client.send("$qC#b4")
        XCTAssertEqual(try gate(listener!).nextConnection().peerUserID, getuid())

        listener = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket goes with the listener")
    }

    /// Waits until `/proc/net/tcp` lists an established connection to `port` owned by `uid`.
    private func waitForConnection(toPort port: UInt16, fromUser uid: uid_t) throws {
        let remote = String(format: ":%04X", port)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
            let listed = table.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.count > 7 && fields[2].hasSuffix(remote) && fields[3] == "01" && fields[7] == "\(uid)"
            }
            if listed { return }
            usleep(20_000)
        }
        throw XCTSkip("no connection from uid \(uid) appeared")
    }
}
