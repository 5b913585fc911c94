/// A target that knows its program's auxiliary vector (`qXfer:auxv:read`), which gdb reads to
/// find the dynamic linker and so the shared libraries.
public protocol GDBAuxiliaryVector: GDBDebugTarget {
    /// The raw auxv the program started with.
    var auxiliaryVector: [UInt8] { get }
}
