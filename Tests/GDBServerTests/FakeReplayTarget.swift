import GDBRemote
import GDBServer

/// A `FakeTarget` with every optional feature a replay has: reverse execution, hardware
/// breakpoints and watchpoints (two debug registers), host files and program information.
final class FakeReplayTarget: FakeTarget, GDBReverseExecution, GDBHardwareBreakpoints, GDBWatchpoints,
    GDBHostFiles, GDBAuxiliaryVector, GDBExecutableFile
{
    var debugRegisters: [String] = []
    /// The files gdb may open, by name.
    var files: [String: [UInt8]] = [:]
    private var open: [Int: [UInt8]] = [:]
    /// How many files gdb has open.
    var openFileCount: Int { open.count }
    let auxiliaryVector: [UInt8] = [6, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0]
    let executablePath = "/traces/files/program"

    func reverseContinue() throws -> GDBStopReason {
        log("reverseContinue")
        return try nextRun()
    }

    func reverseStep() throws -> GDBStopReason {
        log("reverseStep")
        return try nextRun()
    }

    func insertHardwareBreakpoint(at address: UInt64) throws(GDBTargetError) {
        try arm("x@\(address)")
    }

    func removeHardwareBreakpoint(at address: UInt64) {
        debugRegisters.removeAll { $0 == "x@\(address)" }
    }

    func insertWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64) throws(GDBTargetError) {
        guard [1, 2, 4, 8].contains(length) else { throw .unsupported }
        try arm("\(kind)@\(address)")
    }

    func removeWatchpoint(_ kind: GDBWatchKind, address: UInt64, length: UInt64) {
        debugRegisters.removeAll { $0 == "\(kind)@\(address)" }
    }

    private func arm(_ slot: String) throws(GDBTargetError) {
        guard debugRegisters.count < 2 else { throw .exhausted }
        debugRegisters.append(slot)
    }

    func openFile(_ path: String, flags: FileIOOpenFlags, mode: UInt32) throws(FileIOErrno) -> Int {
        guard flags.isReadOnly else { throw .accessDenied }
        guard let contents = files[path] else { throw .noSuchFile }
        let handle = (open.keys.max() ?? 2) + 1
        open[handle] = contents
        return handle
    }

    func readFile(_ handle: Int, count: Int, offset: UInt64) throws(FileIOErrno) -> [UInt8] {
        guard let contents = open[handle] else { throw .badFileDescriptor }
        return Array(contents.dropFirst(Int(offset)).prefix(count))
    }

    func closeFile(_ handle: Int) throws(FileIOErrno) {
        guard open.removeValue(forKey: handle) != nil else { throw .badFileDescriptor }
    }

    func statFile(_ handle: Int) throws(FileIOErrno) -> FileIOStat {
        guard let contents = open[handle] else { throw .badFileDescriptor }
        return FileIOStat(mode: 0o100644, size: UInt64(contents.count))
    }
}
