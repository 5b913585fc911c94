/// The kernel's syscall return convention.
public enum SyscallResult {
    /// Whether a raw return value reports a failure: the kernel returns `-errno` in -4095...-1.
    public static func isError(_ value: Int64) -> Bool { (-4095 ... -1).contains(value) }

    /// Whether a raw return value is one of the kernel's internal restart codes
    /// (`ERESTARTSYS`, `ERESTARTNOINTR`, `ERESTARTNOHAND`, `ERESTART_RESTARTBLOCK`): the call was
    /// interrupted by a signal, and signal delivery decides whether it runs again or fails with
    /// `EINTR`. Programs never see these values.
    public static func isRestart(_ value: Int64) -> Bool { (-516 ... -512).contains(value) && value != -515 }
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
    /// The sleeps are the exception: a signal interrupting them makes them store the time left
    /// and fail with `EINTR` (or a restart code), and the program reads that time.
    public func writtenMemory(_ context: SyscallOutputContext) throws -> [MemoryRange] {
        guard context.isError else { return try outputs(context) }
        let interrupted = context.result == -4 || SyscallResult.isRestart(context.result)
        return interrupted && TimeSyscalls.sleeps.contains { $0.number == number } ? try outputs(context) : []
    }
}
