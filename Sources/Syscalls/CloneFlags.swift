/// The `clone` flags rrdbg looks at: they decide which tid words the call writes, whether it
/// makes a thread or a process, and how task creation rewrites it.
public enum CloneFlags {
    public static let vm: UInt64 = 0x100
    public static let vfork: UInt64 = 0x4000
    public static let thread: UInt64 = 0x10000
    /// The low byte: the signal the parent gets when the child ends.
    public static let exitSignalMask: UInt64 = 0xff
    public static let parentSetTID: UInt64 = 0x100000
    public static let childSetTID: UInt64 = 0x1000000
}
