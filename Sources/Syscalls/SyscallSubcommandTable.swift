/// A call that multiplexes operations through a number (an ioctl request, an fcntl command):
/// one operation's name, how many bytes the kernel writes at the call's pointer argument, and
/// the facts that hold for this operation only.
struct SyscallSubcommand: Sendable {
    let name: String
    let writtenBytes: Int
    /// Whether the call may block in this operation (a lock request that waits for the lock).
    let waits: Bool
    /// Whether this operation makes a new descriptor for the one in argument 0 (`F_DUPFD`).
    let duplicatesDescriptor: Bool

    init(_ name: String, writes writtenBytes: Int = 0, waits: Bool = false, duplicatesDescriptor: Bool = false) {
        self.name = name
        self.writtenBytes = writtenBytes
        self.waits = waits
        self.duplicatesDescriptor = duplicatesDescriptor
    }
}

/// A family of subcommands: the rule for its call looks the selector argument up, and throws
/// `UnknownSyscallVariant` for one it doesn't know, since its memory effects are then unknown.
struct SyscallSubcommandTable: Sendable {
    /// How the family's selector is called in messages, for example "ioctl request".
    let kind: String
    /// The argument holding the selector; the kernel reads it as a 32-bit value.
    let selectorArgument: Int
    /// The argument holding the pointer the kernel writes through.
    let pointerArgument: Int
    let entries: [UInt32: SyscallSubcommand]

    /// The subcommand named by a raw argument value.
    func entry(for value: UInt64) -> SyscallSubcommand? {
        entries[UInt32(truncatingIfNeeded: value)]
    }

    /// The subcommands for which `included` holds, as the variants of the call they select.
    func variants(where included: (SyscallSubcommand) -> Bool) -> SyscallVariants {
        let selectors = entries.filter { included($0.value) }.keys.map { UInt64($0) }
        return SyscallVariants(argument: selectorArgument, mask: 0xffff_ffff, selectors: Set(selectors))
    }

    var outputs: SyscallOutputRule {
        let table = self
        return { context in
            let selector = context.argument(table.selectorArgument)
            guard let entry = table.entry(for: selector) else {
                let hex = String(UInt32(truncatingIfNeeded: selector), radix: 16)
                throw UnknownSyscallVariant(
                    "\(table.kind) 0x\(hex) is not in rrdbg's syscall table, "
                        + "so the memory it writes is unknown"
                )
            }
            return context.range(atArgument: table.pointerArgument, length: entry.writtenBytes)
        }
    }
}
