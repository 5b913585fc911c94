import Glibc

/// Tells whether a guest's file descriptor is rrdbg's own stdout or stderr.
///
/// Replay prints again exactly the output that reached the user: a write to fd 1 of a program
/// whose fd 1 is a pipe to another guest process (`date | tr`) is not output, and a write to
/// fd 5 that a shell duplicated from fd 1 is. The recorder compares the open file behind the
/// guest's descriptor with its own.
struct StandardStreams {
    private let output: (dev: UInt64, ino: UInt64)?
    private let error: (dev: UInt64, ino: UInt64)?

    init() {
        output = Self.identity(ofDescriptor: 1)
        error = Self.identity(ofDescriptor: 2)
    }

    /// 1 or 2 when descriptor `fd` of thread `tid` is rrdbg's stdout or stderr, else nil. When
    /// both are the same file (a terminal), the descriptor's own number decides.
    func stream(of fd: Int32, inThread tid: Int32) -> Int32? {
        guard let target = Self.identity(ofPath: "/proc/\(tid)/fd/\(fd)") else { return nil }
        let isOutput = output.map { $0 == target } ?? false
        let isError = error.map { $0 == target } ?? false
        switch (isOutput, isError) {
        case (true, true): return fd == 2 ? 2 : 1
        case (true, false): return 1
        case (false, true): return 2
        case (false, false): return nil
        }
    }

    private static func identity(ofDescriptor fd: Int32) -> (dev: UInt64, ino: UInt64)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    private static func identity(ofPath path: String) -> (dev: UInt64, ino: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
