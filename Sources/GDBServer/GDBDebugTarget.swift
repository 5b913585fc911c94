/// What a debugged program offers `GDBSession`: running it, its registers, memory, software
/// breakpoints and threads.
///
/// The session owns the protocol (framing, acknowledgements, thread selection, replies and
/// their spelling) and asks the target only about the program, so the target can be a replay,
/// or an in-memory fake in a test. Features not every target has are protocols of their own
/// that the target adopts as well: `GDBReverseExecution`, `GDBHardwareBreakpoints`,
/// `GDBWatchpoints`, `GDBHostFiles`, `GDBAuxiliaryVector` and `GDBExecutableFile`. The session
/// announces in `qSupported` exactly the ones it finds.
///
/// Registers are exchanged in gdb's amd64 `g` packet layout (`RegisterLayout`); thread and
/// process ids are Linux ids as the program sees them. Every call comes from the thread that
/// runs `GDBSession.serve`.
public protocol GDBDebugTarget: AnyObject {
    /// Asked again and again while the program runs; true when the user wants it stopped (gdb's
    /// Ctrl-C). The target then stops the program and reports `.interrupted`. The session sets
    /// it before it starts the program.
    var interruptRequested: () -> Bool { get set }

    /// Starts the program, stopped before its first instruction. gdb inserts its breakpoints
    /// again in a new run, so the target forgets them.
    func start() throws -> GDBStopReason

    /// Ends the program. Nothing runs until the next `start`.
    func kill()

    /// Runs forward until something gdb must see, or one instruction when `step`.
    func resume(step: Bool) throws -> GDBStopReason

    /// Makes the target usable again after a run (forward or backward) threw `error`, which the
    /// session has already shown the user; says what gdb should be told.
    func recover(after error: Error) throws -> GDBRecovery

    /// The process gdb debugs.
    var processID: Int32 { get }

    /// The live threads of that process, in creation order.
    var threadIDs: [Int32] { get }

    /// The thread the program stopped in.
    var stoppedThreadID: Int32 { get }

    /// All registers of a thread in the `g` packet layout: the stopped thread when `thread` is
    /// nil, else a thread that waits for its turn while another one stopped. nil when they
    /// cannot be read.
    func readRegisters(thread: Int32?) -> [UInt8]?

    /// Sets all registers of a thread (as in `readRegisters`) from a `g` packet layout buffer.
    func writeRegisters(_ packet: [UInt8], thread: Int32?) throws(GDBTargetError)

    /// Sets one register, by gdb register number, of a thread (as in `readRegisters`).
    func writeRegister(_ number: Int, value: [UInt8], thread: Int32?) throws(GDBTargetError)

    /// Memory as the program sees it, without the target's breakpoint bytes, up to the first
    /// unreadable byte.
    func readMemory(at address: UInt64, count: Int) -> [UInt8]

    func writeMemory(_ bytes: [UInt8], at address: UInt64) throws(GDBTargetError)

    func insertSoftwareBreakpoint(at address: UInt64) throws(GDBTargetError)

    /// Removes a breakpoint if it is there; gdb is told it is gone either way.
    func removeSoftwareBreakpoint(at address: UInt64)
}
