import Guest
import Syscalls

/// The system call a thread is blocked in, as a hang report shows it: strace's notation, with
/// each file descriptor argument followed by what it is, `read(fd 3 = pipe (read end; …), …)`,
/// because "blocked reading fd 3" only helps once you know what fd 3 is.
public struct BlockedCall: Equatable, Sendable {
    /// A descriptor among the arguments.
    public struct Descriptor: Equatable, Sendable {
        public var argument: Int
        public var fd: Int32
        /// What it refers to, from the trace; nil when the trace does not say.
        public var description: String?
    }

    public var number: Int
    public var name: String
    /// The arguments shown: as many as the call takes, six when the call is unknown.
    public var arguments: [UInt64]
    public var descriptors: [Descriptor]
    /// The call without a result, such as `futex(0x5555555580a0, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0)`.
    public var text: String

    /// Describes the call with these registers' number and arguments. `strings` holds the C
    /// strings its string arguments point to, by argument index, read from the stopped guest.
    public init(registers: Registers, descriptors table: FileDescriptorTable, strings: [Int: [UInt8]] = [:]) {
        number = registers.syscallNumber
        name = SyscallTable.name(of: number)
        let formats = Self.formats(of: number)
        arguments = Array(registers.syscallArguments.prefix(formats.count))
        descriptors = zip(formats, arguments).enumerated().compactMap { index, pair in
            guard pair.0 == .fd else { return nil }
            let fd = Int32(truncatingIfNeeded: pair.1)
            return Descriptor(argument: index, fd: fd, description: table.describe(fd))
        }
        let described = Dictionary(uniqueKeysWithValues: descriptors.map { ($0.argument, $0) })
        let shown = zip(formats, arguments).enumerated().map { index, pair in
            if let descriptor = described[index], let what = descriptor.description {
                return "fd \(descriptor.fd) = \(what)"
            }
            return SyscallFormatter.formatArgument(pair.1, as: pair.0, string: strings[index])
        }
        text = "\(name)(\(shown.joined(separator: ", ")))"
    }

    /// The argument formats of call `number`, six hex values for a call rrdbg does not know.
    public static func formats(of number: Int) -> [ArgumentFormat] {
        SyscallTable.descriptor(for: number)?.arguments
            ?? Array(repeating: .hex, count: SyscallTable.maximumArgumentCount)
    }
}
