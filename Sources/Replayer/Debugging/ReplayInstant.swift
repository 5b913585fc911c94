import Guest

/// One instant of a replay, described well enough to recognise it when the replay is executed
/// again: how many events had been applied, the registers, and the whole writable memory.
///
/// With no hardware counter to say "instruction N", this is how reverse execution finds its
/// way back: equal registers and memory after the same event mean the same instant, because
/// execution from there on is a function of that state alone.
struct ReplayInstant {
    var eventIndex: Int
    /// `ReplayEngine.progress` there, which with `-p` counts only the debugged process's events.
    var progress: Int
    var registers: Registers
    var digest: UInt64

    init(_ thread: borrowing StoppedThread, eventIndex: Int, progress: Int) throws {
        self.eventIndex = eventIndex
        self.progress = progress
        registers = ReplayInstant.comparable(try thread.registers())
        digest = try MemoryDigest.of(thread.memory)
    }

    var address: UInt64 { registers.rip }

    /// Whether `thread` is at this instant. Memory is only digested when everything else agrees.
    func matches(_ thread: borrowing StoppedThread, progress: Int) throws -> Bool {
        guard progress == self.progress, ReplayInstant.comparable(try thread.registers()) == registers else {
            return false
        }
        return try MemoryDigest.of(thread.memory) == digest
    }

    /// The registers with what depends on how the thread was stopped left out: orig_rax (a
    /// syscall-exit stop shows the call, a breakpoint trap shows -1) and the trap and resume
    /// flags in eflags.
    private static func comparable(_ registers: Registers) -> Registers {
        var normalized = registers
        normalized.origRax = 0
        normalized.values[18] &= ~UInt64(0x100 | 0x10000)
        return normalized
    }
}
