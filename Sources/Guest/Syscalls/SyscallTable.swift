/// The x86-64 system call table: every call's name, and for the calls rrdbg can record, how to
/// show its arguments, which memory it writes, and what replay does with it.
///
/// A call with a name but no descriptor is one rrdbg has not described yet; the recorder
/// should refuse it rather than guess what memory it writes. The table is immutable static
/// data, so it is safe to read from any thread.
public enum SyscallTable {
    /// The highest system call number with a name.
    public static let highestKnownNumber = SyscallNames.highestKnownNumber

    /// The descriptor of call `number`, or nil if rrdbg has not described it.
    public static func descriptor(for number: Int) -> SyscallDescriptor? {
        descriptorsByNumber[number]
    }

    /// The kernel's name for call `number`, or "syscall_N" for a number x86-64 doesn't use.
    public static func name(of number: Int) -> String {
        SyscallNames.name(of: number) ?? "syscall_\(number)"
    }

    /// The number of the call named `name`, if x86-64 has one.
    public static func number(named name: String) -> Int? {
        SyscallNames.numbersByName[name]
    }

    /// How many arguments call `number` takes, as `dump` shows them: its descriptor's count,
    /// or all six registers for a call without a descriptor.
    public static func argumentCount(of number: Int) -> Int {
        descriptor(for: number)?.arguments.count ?? maximumArgumentCount
    }

    /// The system call ABI passes at most six arguments (rdi, rsi, rdx, r10, r8, r9).
    public static let maximumArgumentCount = 6

    /// Every descriptor, in number order.
    public static var allDescriptors: [SyscallDescriptor] {
        descriptorsByNumber.values.sorted { $0.number < $1.number }
    }

    /// The descriptor lists of each group of calls, as written.
    static let groups: [[SyscallDescriptor]] = [
        FileIOSyscalls.descriptors,
        PathSyscalls.descriptors,
        ControlSyscalls.descriptors,
        MemorySyscalls.descriptors,
        TimeSyscalls.descriptors,
        SignalSyscalls.descriptors,
        ProcessSyscalls.descriptors,
        RuntimeSyscalls.descriptors,
        EventSyscalls.descriptors,
        SocketSyscalls.descriptors,
    ]

    /// If two groups described the same number, the first would win here; the tests check
    /// `groups` for duplicates so that never happens silently.
    static let descriptorsByNumber: [Int: SyscallDescriptor] = Dictionary(
        groups.joined().map { ($0.number, $0) },
        uniquingKeysWith: { first, _ in first }
    )
}
