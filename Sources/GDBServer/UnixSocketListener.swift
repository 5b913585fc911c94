import Glibc
import System

/// The gdb stub's listening Unix-domain socket (`--socket PATH`), which gdb reaches with
/// `target extended-remote PATH`.
///
/// The socket file is created with mode 0600, so only its owner (and root) can connect, and it
/// never exists with wider permissions: the umask is narrowed for the `bind` that creates it.
/// The kernel tells each connection's user (`SO_PEERCRED`), which `ConnectionGate` checks too.
/// The file is removed when the listener goes, unless something else replaced it meanwhile.
public final class UnixSocketListener: GDBListener {
    private let fd: Int32
    public let path: String
    /// The socket file's identity, so that `deinit` removes only the file it created.
    private let device: dev_t
    private let inode: ino_t

    public var address: String { path }

    /// Creates the socket at `path`, which must not exist yet.
    public init(path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity, !bytes.contains(0) else {
            throw Errno(ENAMETOOLONG, operation: "create socket", path: path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("socket") }
        let previousMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bindError = errno
        umask(previousMask)
        guard bound == 0 else {
            Glibc.close(fd)
            throw Errno(bindError, operation: "create socket", path: path)
        }
        var status = stat()
        guard lstat(path, &status) == 0, listen(fd, 8) == 0 else {
            let error = Errno.current("listen on socket", path: path)
            unlink(path)
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        self.path = path
        device = status.st_dev
        inode = status.st_ino
    }

    deinit {
        var status = stat()
        if lstat(path, &status) == 0, status.st_dev == device, status.st_ino == inode { unlink(path) }
        Glibc.close(fd)
    }

    /// Waits for a connection; the kernel reports the connecting process's user.
    public func accept() throws -> SocketConnection {
        let connection = try retryingOnInterrupt("accept") { Glibc.accept(fd, nil, nil) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        // `struct ucred` (pid, uid, gid); Glibc exports it to Swift only under _GNU_SOURCE.
        var credentials: (pid: pid_t, uid: uid_t, gid: gid_t) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        let known = getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0
        return SocketConnection(
            fd: connection, peerUserID: known ? credentials.uid : nil,
            peerDescription: known ? "process \(credentials.pid)" : "an unknown process")
    }
}
