/// The kernel's syscall return convention.
public enum SyscallResult {
    /// Whether a raw return value reports a failure: the kernel returns `-errno` in -4095...-1.
    public static func isError(_ value: Int64) -> Bool { (-4095 ... -1).contains(value) }
}

extension SyscallOutputContext {
    /// Whether the call failed.
    public var isError: Bool { SyscallResult.isError(result) }
}

extension SyscallDescriptor {
    /// The memory the finished call wrote: nothing for a failed call, otherwise what the
    /// output rule says. Use this rather than calling `outputs` directly, so that a failed
    /// call never consults a rule: the rules describe successful calls only, and an ioctl
    /// request the table doesn't know must not be refused when it merely failed.
    public func writtenMemory(_ context: SyscallOutputContext) throws -> [MemoryRange] {
        context.isError ? [] : try outputs(context)
    }
}
