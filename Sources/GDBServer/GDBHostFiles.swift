import GDBRemote

/// A target that serves its program's files to gdb (`vFile:`), so gdb can load the executable
/// and libraries the program ran even where the host's copies differ or are gone.
///
/// Access is read-only: the session refuses `unlink` and `readlink` itself.
public protocol GDBHostFiles: GDBDebugTarget {
    /// Opens a file by the name the program knew it by; returns a handle for the other calls.
    func openFile(_ path: String, flags: FileIOOpenFlags, mode: UInt32) throws(FileIOErrno) -> Int

    /// Up to `count` bytes at `offset`; fewer at the end of the file.
    func readFile(_ handle: Int, count: Int, offset: UInt64) throws(FileIOErrno) -> [UInt8]

    func closeFile(_ handle: Int) throws(FileIOErrno)

    func statFile(_ handle: Int) throws(FileIOErrno) -> FileIOStat
}
