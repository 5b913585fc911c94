/// Shows system calls as strace does, for `rrdbg dump`:
///
///     openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
///     read(3, 0x7ffd1234, 4096) = 832
///     openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)
///
/// People already read strace output fluently, so matching its conventions makes a trace
/// readable without learning a new notation.
public enum SyscallFormatter {
    /// Longer strings are cut to this many bytes and followed by `...`.
    public static let maximumStringLength = 64

    /// One call as a line of text.
    /// - Parameters:
    ///   - arguments: the argument registers at entry (rdi, rsi, rdx, r10, r8, r9).
    ///   - strings: the C strings the recorder captured, by argument index, without their NUL.
    ///     A string argument without an entry shows as its address.
    ///   - result: the raw return value, or nil for a call that did not return (`exit`).
    public static func format(
        number: Int, arguments: [UInt64], strings: [Int: [UInt8]] = [:], result: Int64?
    ) -> String {
        let formats = shownFormats(number: number, arguments: arguments)
        let shown = formats.enumerated().map { index, format in
            let value = arguments.indices.contains(index) ? arguments[index] : 0
            return formatArgument(value, as: format, string: strings[index])
        }
        let name = SyscallTable.name(of: number)
        return "\(name)(\(shown.joined(separator: ", "))) = \(formatResult(result, number: number))"
    }

    /// One argument value in the given format.
    public static func formatArgument(
        _ value: UInt64, as format: ArgumentFormat, string: [UInt8]? = nil
    ) -> String {
        switch format {
        case .signed, .fd: String(Int32(truncatingIfNeeded: value))
        case .unsigned: String(value)
        case .offset: String(Int64(bitPattern: value))
        case .hex: SyscallArgumentNames.hex(value)
        case .pointer: value == 0 ? "NULL" : SyscallArgumentNames.hex(value)
        case .dirfd:
            Int32(truncatingIfNeeded: value) == atFileDescriptorCWD ? "AT_FDCWD" : formatArgument(value, as: .fd)
        case .string: string.map(quoted) ?? formatArgument(value, as: .pointer)
        case .octalMode: octal(UInt64(UInt32(truncatingIfNeeded: value)))
        case .openFlags: SyscallArgumentNames.openFlags(value)
        case .statusFlags: SyscallArgumentNames.statusFlags(value)
        case .atFlags: SyscallArgumentNames.atFlags(value)
        case .mmapProtection: SyscallArgumentNames.mmapProtection(value)
        case .mmapFlags: SyscallArgumentNames.mmapFlags(value)
        case .signal: signalName(Int(Int32(truncatingIfNeeded: value)))
        case .whence: SyscallArgumentNames.whence(value)
        case .clockID: SyscallArgumentNames.clockID(value)
        case .ioctlRequest: SyscallArgumentNames.ioctlRequest(value)
        case .fcntlCommand: SyscallArgumentNames.fcntlCommand(value)
        case .accessMode: SyscallArgumentNames.accessMode(value)
        case .socketFamily: SyscallArgumentNames.socketFamily(value)
        case .madviseAdvice: SyscallArgumentNames.madviseAdvice(value)
        case .prctlOption: SyscallArgumentNames.prctlOption(value)
        case .archPrctlCode: SyscallArgumentNames.archPrctlCode(value)
        case .futexOperation: SyscallArgumentNames.futexOperation(value)
        case .sigprocmaskHow: SyscallArgumentNames.sigprocmaskHow(value)
        }
    }

    /// The text after `= `: a number, an address, or `-1 ENAME (description)` for a failure.
    /// A kernel-internal restart code shows as `? ENAME (...)`, since the guest never sees
    /// it; a call that did not return shows as `?`.
    public static func formatResult(_ result: Int64?, number: Int) -> String {
        guard let result else { return "?" }
        if SyscallResult.isError(result) {
            let errno = Int(-result)
            let name = errnoName(errno) ?? "errno \(errno)"
            return "\(isRestartCode(errno) ? "?" : "-1") \(name) (\(errnoMessage(errno)))"
        }
        let call = Syscall(rawValue: number)
        if let call, addressResults.contains(call) {
            return SyscallArgumentNames.hex(UInt64(bitPattern: result))
        }
        return call == .umask ? octal(UInt64(bitPattern: result)) : String(result)
    }

    /// A signal's name (`SIGSEGV`), or its number if it has none.
    public static func signalName(_ number: Int) -> String {
        SyscallArgumentNames.signal(number)
    }

    /// A C string in double quotes, escaped as strace does, cut at `maximumStringLength`.
    public static func quoted(_ bytes: [UInt8]) -> String {
        let text = "\"" + escaped(bytes.prefix(maximumStringLength)) + "\""
        return bytes.count > maximumStringLength ? text + "..." : text
    }

    /// `text` as it is when every byte is printable ASCII, else whole, quoted and escaped as a
    /// traced string is. Text from a trace (the recorded command line, say) may hold terminal
    /// escape sequences, which must be shown to the user, not acted on by their terminal.
    public static func printable(_ text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ (0x20...0x7e).contains($0) }) { return text }
        return "\"" + escaped(bytes[...]) + "\""
    }

    /// The bytes of a string, each escaped by `escaped(_:followedBy:)`.
    private static func escaped(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        for (index, byte) in zip(bytes.indices, bytes) {
            let next = index + 1 < bytes.endIndex ? bytes[index + 1] : nil
            text += escaped(byte, followedBy: next)
        }
        return text
    }

    static let atFileDescriptorCWD: Int32 = -100
    /// `mmap`, `brk`, `mremap` and `shmat` return addresses, best read in hex.
    static let addressResults: Set<Syscall> = [.mmap, .brk, .mremap, .shmat]
    /// `O_CREAT` and `__O_TMPFILE`: the only flags that make open use its mode.
    static let flagsUsingMode: UInt64 = 0x40 | 0x40_0000

    /// The formats shown for a call: its descriptor's, except that `open` and `openat` hide
    /// the mode unless the flags create a file (the kernel ignores it otherwise, so it is
    /// usually garbage); and six hex registers for a call without a descriptor.
    static func shownFormats(number: Int, arguments: [UInt64]) -> [ArgumentFormat] {
        guard let descriptor = SyscallTable.descriptor(for: number) else {
            return Array(repeating: .hex, count: SyscallTable.maximumArgumentCount)
        }
        let flagsIndex = descriptor.syscall == .open ? 1 : descriptor.syscall == .openat ? 2 : nil
        if let flagsIndex, arguments.indices.contains(flagsIndex),
           arguments[flagsIndex] & flagsUsingMode == 0 {
            return Array(descriptor.arguments.dropLast())
        }
        return descriptor.arguments
    }

    /// strace's octal: a leading `0`, so 0644 shows as `0644` and 0 as `0`.
    static func octal(_ value: UInt64) -> String {
        value == 0 ? "0" : "0" + String(value, radix: 8)
    }

    /// One byte of a quoted string: printable ASCII as itself, the usual C escapes, and
    /// anything else in octal, using all three digits only when the next byte is an octal
    /// digit that would otherwise be read as part of the escape.
    static func escaped(_ byte: UInt8, followedBy next: UInt8?) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case UInt8(ascii: "\t"): return "\\t"
        case UInt8(ascii: "\n"): return "\\n"
        case 0x0b: return "\\v"
        case 0x0c: return "\\f"
        case UInt8(ascii: "\r"): return "\\r"
        case 0x20...0x7e: return String(UnicodeScalar(byte))
        default:
            let digits = String(byte, radix: 8)
            let nextIsOctalDigit = next.map { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) } ?? false
            let padding = nextIsOctalDigit ? String(repeating: "0", count: 3 - digits.count) : ""
            return "\\" + padding + digits
        }
    }
}
