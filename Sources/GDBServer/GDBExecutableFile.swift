/// A target that names its program's executable (`qXfer:exec-file:read`), so gdb loads symbols
/// without being given the file.
public protocol GDBExecutableFile: GDBDebugTarget {
    /// The path gdb should load, readable on this machine or through `GDBHostFiles`.
    var executablePath: String { get }
}
