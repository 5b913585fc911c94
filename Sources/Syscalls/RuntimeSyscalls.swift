/// Calls a C library or language runtime makes to set itself up and to synchronize: the
/// thread pointer, thread bookkeeping, process attributes, restartable sequences, futexes.
enum RuntimeSyscalls {
    static let descriptors: [SyscallDescriptor] = [
        // The thread pointer (fs) and shadow-stack state live in the replaying process's own
        // registers and kernel state, so replay sets them for real.
        SyscallDescriptor(
            .arch_prctl, [.archPrctlCode, .hex], .execute, writes: archPrctlCodes.outputs
        ),
        SyscallDescriptor(.prctl, [.prctlOption, .hex, .hex, .hex, .hex], writes: prctlOptions.outputs),
        // The kernel clears the registered word when the thread exits, so replay registers
        // it; the call returns the tid, which replay must take from the trace.
        SyscallDescriptor(.set_tid_address, [.pointer], .executeForcingResult),
        SyscallDescriptor(.set_robust_list, [.pointer, .unsigned], .execute),
        // The list head pointer and its length, 8 bytes each.
        SyscallDescriptor(.get_robust_list, [.signed, .pointer, .pointer]) {
            $0.range(atArgument: 1, length: KernelStructSize.long)
                + $0.range(atArgument: 2, length: KernelStructSize.long)
        },
        // A registered rseq area would be rewritten by the kernel on every migration, behind
        // the trace's back, so registration must fail before it reaches the kernel (the C
        // library then runs without it). Should the call ever reach the tracer, replay
        // returns the recorded result.
        SyscallDescriptor(.rseq, [.pointer, .unsigned, .hex, .hex]),
        SyscallDescriptor(
            .futex, [.pointer, .futexOperation, .signed, .pointer, .pointer, .hex], blocks: .only(futexWaits)
        ) { context in
            let operation = context.argument(1)
            guard let command = futexCommand(operation) else {
                let hex = String(UInt32(truncatingIfNeeded: operation), radix: 16)
                throw UnknownSyscallVariant(
                    "futex operation 0x\(hex) is not in rrdbg's syscall table, "
                        + "so the memory it writes is unknown"
                )
            }
            return (command.writesFutexWord ? context.range(atArgument: 0, length: KernelStructSize.int) : [])
                + (command.writesSecondWord ? context.range(atArgument: 4, length: KernelStructSize.int) : [])
        },
    ]

    /// `arch_prctl(code, address)`: the "get" codes store 8 bytes at the address.
    /// `ARCH_SET_CPUID` is deliberately absent: a guest turning cpuid faulting off would let
    /// unrecorded cpuid results into the run.
    static let archPrctlCodes = SyscallSubcommandTable(
        kind: "arch_prctl code", selectorArgument: 0, pointerArgument: 1,
        entries: [
            0x1001: SyscallSubcommand("ARCH_SET_GS"),
            0x1002: SyscallSubcommand("ARCH_SET_FS"),
            0x1003: SyscallSubcommand("ARCH_GET_FS", writes: KernelStructSize.long),
            0x1004: SyscallSubcommand("ARCH_GET_GS", writes: KernelStructSize.long),
            0x1011: SyscallSubcommand("ARCH_GET_CPUID"),
            0x1021: SyscallSubcommand("ARCH_GET_XCOMP_SUPP", writes: KernelStructSize.long),
            0x1022: SyscallSubcommand("ARCH_GET_XCOMP_PERM", writes: KernelStructSize.long),
            0x1023: SyscallSubcommand("ARCH_REQ_XCOMP_PERM"),
            0x1024: SyscallSubcommand("ARCH_GET_XCOMP_GUEST_PERM", writes: KernelStructSize.long),
            0x1025: SyscallSubcommand("ARCH_REQ_XCOMP_GUEST_PERM"),
            0x5001: SyscallSubcommand("ARCH_SHSTK_ENABLE"),
            0x5002: SyscallSubcommand("ARCH_SHSTK_DISABLE"),
            0x5003: SyscallSubcommand("ARCH_SHSTK_LOCK"),
            0x5004: SyscallSubcommand("ARCH_SHSTK_UNLOCK"),
            0x5005: SyscallSubcommand("ARCH_SHSTK_STATUS", writes: KernelStructSize.long),
        ]
    )

    /// `prctl(option, arg2, ...)`: the options runtimes use on themselves. The "get" options
    /// that answer through memory write at arg2. Options that could undo the recorder's own
    /// setup (`PR_SET_TSC`, `PR_SET_SECCOMP`) are deliberately absent.
    static let prctlOptions = SyscallSubcommandTable(
        kind: "prctl option", selectorArgument: 0, pointerArgument: 1,
        entries: [
            1: SyscallSubcommand("PR_SET_PDEATHSIG"),
            2: SyscallSubcommand("PR_GET_PDEATHSIG", writes: KernelStructSize.int),
            3: SyscallSubcommand("PR_GET_DUMPABLE"),
            4: SyscallSubcommand("PR_SET_DUMPABLE"),
            7: SyscallSubcommand("PR_GET_KEEPCAPS"),
            8: SyscallSubcommand("PR_SET_KEEPCAPS"),
            15: SyscallSubcommand("PR_SET_NAME"),
            // The thread's name: TASK_COMM_LEN bytes, NUL-padded.
            16: SyscallSubcommand("PR_GET_NAME", writes: 16),
            23: SyscallSubcommand("PR_CAPBSET_READ"),
            29: SyscallSubcommand("PR_SET_TIMERSLACK"),
            30: SyscallSubcommand("PR_GET_TIMERSLACK"),
            36: SyscallSubcommand("PR_SET_CHILD_SUBREAPER"),
            37: SyscallSubcommand("PR_GET_CHILD_SUBREAPER", writes: KernelStructSize.int),
            38: SyscallSubcommand("PR_SET_NO_NEW_PRIVS"),
            39: SyscallSubcommand("PR_GET_NO_NEW_PRIVS"),
            41: SyscallSubcommand("PR_SET_THP_DISABLE"),
            42: SyscallSubcommand("PR_GET_THP_DISABLE"),
            0x5356_4d41: SyscallSubcommand("PR_SET_VMA"),
        ]
    )

    /// One futex command: whether it waits, and which futex words the kernel may store to.
    struct FutexCommand: Sendable {
        let name: String
        /// Whether the command blocks until the word changes or the lock is handed over.
        let waits: Bool
        /// The word at arg0: the priority-inheritance commands store the owner's tid there.
        let writesFutexWord: Bool
        /// The word at arg4 (uaddr2): FUTEX_WAKE_OP applies its operation to it, and the
        /// requeue-to-PI commands may take the lock on it.
        let writesSecondWord: Bool

        init(name: String, waits: Bool = false, writesFutexWord: Bool = false, writesSecondWord: Bool = false) {
            self.name = name
            self.waits = waits
            self.writesFutexWord = writesFutexWord
            self.writesSecondWord = writesSecondWord
        }
    }

    /// Futex commands by number, without the `FUTEX_PRIVATE_FLAG` and `FUTEX_CLOCK_REALTIME`
    /// bits. Waiting, waking and plain requeueing only compare the words, never store them.
    /// FUTEX_FD (2) is absent: the kernel removed it long ago.
    static let futexCommands: [UInt32: FutexCommand] = [
        0: FutexCommand(name: "FUTEX_WAIT", waits: true),
        1: FutexCommand(name: "FUTEX_WAKE"),
        3: FutexCommand(name: "FUTEX_REQUEUE"),
        4: FutexCommand(name: "FUTEX_CMP_REQUEUE"),
        5: FutexCommand(name: "FUTEX_WAKE_OP", writesSecondWord: true),
        6: FutexCommand(name: "FUTEX_LOCK_PI", waits: true, writesFutexWord: true),
        7: FutexCommand(name: "FUTEX_UNLOCK_PI", writesFutexWord: true),
        8: FutexCommand(name: "FUTEX_TRYLOCK_PI", writesFutexWord: true),
        9: FutexCommand(name: "FUTEX_WAIT_BITSET", waits: true),
        10: FutexCommand(name: "FUTEX_WAKE_BITSET"),
        11: FutexCommand(
            name: "FUTEX_WAIT_REQUEUE_PI", waits: true, writesFutexWord: true, writesSecondWord: true
        ),
        12: FutexCommand(name: "FUTEX_CMP_REQUEUE_PI", writesFutexWord: true, writesSecondWord: true),
        13: FutexCommand(name: "FUTEX_LOCK_PI2", waits: true, writesFutexWord: true),
    ]

    static let futexPrivateFlag: UInt32 = 128
    static let futexClockRealtime: UInt32 = 256

    /// The bits of a raw futex operation argument that choose the command: the kernel reads
    /// a 32-bit value, and the private and clock flags modify the command without changing it.
    static let futexCommandMask = UInt64(UInt32.max & ~(futexPrivateFlag | futexClockRealtime))

    /// The command of a raw futex operation argument, if it is one rrdbg knows.
    static func futexCommand(_ operation: UInt64) -> FutexCommand? {
        futexCommands[UInt32(operation & futexCommandMask)]
    }

    /// The futex operations that wait.
    static let futexWaits = SyscallVariants(
        argument: 1, mask: futexCommandMask,
        selectors: Set(futexCommands.filter(\.value.waits).keys.map { UInt64($0) })
    )
}
