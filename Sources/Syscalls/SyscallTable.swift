/// The x86-64 system call table: for the calls rrdbg can record, how to show their arguments,
/// which memory they write, what replay does with them, and every other fact rrdbg acts on.
///
/// A call without a descriptor is one rrdbg has not described yet; the recorder should refuse
/// it rather than guess what memory it writes. The table is immutable static data, so it is
/// safe to read from any thread.
public enum SyscallTable {
    /// The descriptor of call `number`, or nil if rrdbg has not described it.
    public static func descriptor(for number: Int) -> SyscallDescriptor? {
        descriptorsByNumber[number]
    }

    /// The descriptor of `call`, or nil if rrdbg has not described it.
    public static func descriptor(for call: Syscall) -> SyscallDescriptor? {
        descriptorsByNumber[call.rawValue]
    }

    /// The kernel's name for call `number`, or "syscall_N" for a number x86-64 doesn't use.
    public static func name(of number: Int) -> String {
        Syscall(rawValue: number)?.name ?? "syscall_\(number)"
    }

    /// How many arguments call `number` takes, as `dump` shows them: its descriptor's count,
    /// or all six registers for a call without a descriptor.
    public static func argumentCount(of number: Int) -> Int {
        descriptor(for: number)?.arguments.count ?? maximumArgumentCount
    }

    /// The system call ABI passes at most six arguments (rdi, rsi, rdx, r10, r8, r9).
    public static let maximumArgumentCount = 6

    /// Whether call `number`, made with these arguments, may block (see `SyscallBlocking`).
    public static func mayBlock(_ number: Int, arguments: [UInt64]) -> Bool {
        if let descriptor = descriptor(for: number) {
            return descriptor.mayBlock(arguments)
        }
        return Syscall(rawValue: number).map(blockingWithoutDescriptor.contains) ?? false
    }

    /// Calls that block but have no descriptor yet, so their recording is already warned about:
    /// letting other threads run while they wait keeps such a recording going. A call that
    /// gets a descriptor states its blocking there instead, which the tests check.
    static let blockingWithoutDescriptor: Set<Syscall> = [
        .semop, .semtimedop, .msgsnd, .msgrcv, .io_getevents, .mq_timedsend, .mq_timedreceive,
    ]

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
