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
