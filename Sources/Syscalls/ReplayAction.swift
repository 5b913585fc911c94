/// What replay does with a system call the guest makes.
///
/// Replay never needs the outside world: most calls are emulated from the trace. Only calls
/// that shape the replaying process itself (its address space, signal state, exit) run for real.
public enum ReplayAction: Equatable, Sendable {
    /// Skip the call; return the recorded result and write the recorded memory.
    case emulate
    /// Run the call for real; its result must equal the recorded one.
    case execute
    /// Run the call for real for its effect on the replaying process, then return the
    /// recorded result (for example `set_tid_address`, which returns the tid).
    case executeForcingResult
    /// `mmap`: replay places the same memory at the recorded address, filling file-backed
    /// mappings from the trace's archived copy.
    case mapMemory
    /// `exit`/`exit_group`: run for real; the recorded exit status must follow.
    case exit
    /// `clone`, `fork`, `vfork`: run for real, then the new thread or process gets its recorded
    /// id. `vfork` runs as `fork` in both recording and replay (see `TaskCreation`).
    case createTask
    /// `execve`: replay runs the trace's copy of the program that was executed.
    case replaceImage
}
