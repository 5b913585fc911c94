import Guest
import Trace

/// Checks, before the first instruction, that the replay's address space is laid out like the
/// recording's: same executable and interpreter mappings at the same addresses.
///
/// The executable comes from the trace. The interpreter (ld.so) is still the one the kernel loads
/// from its recorded path, so a different ld.so on this machine is caught here instead of as a
/// confusing divergence later.
enum InitialLayoutCheck {
    static func verify(_ thread: borrowing StoppedThread, against exec: ExecEvent, trace: TraceDirectory) throws {
        let state = try ExecSetup.captureInitialState(thread)
        if let recordedHash = exec.interpreterHash, let interpreter = state.interpreterPath {
            let hash = SHA256.hexDigest(of: try ArchivedFileCache.read(interpreter))
            guard hash == recordedHash else {
                throw ReplayError.unreplayable(
                    event: 0,
                    reason: "the program interpreter \(interpreter) on this machine differs from the recorded one")
            }
        }
        let layout = { (ranges: [(UInt64, UInt64, UInt32, String)]) in
            ranges.map { "0x\(String($0.0, radix: 16))-0x\(String($0.1, radix: 16)) prot \($0.2) \($0.3)" }
        }
        let fixed = { (path: String) in path.hasPrefix("[v") }  // [vdso], [vvar], [vsyscall]
        let recorded = exec.mappings.filter { $0.fileHash != nil || fixed($0.path) }
            .map { ($0.start, $0.end, $0.protection, $0.fileHash != nil ? "file" : $0.path) }
        let replayed = state.mappings.filter { $0.isFileBacked || fixed($0.path) }
            .map { ($0.start, $0.end, $0.protection, $0.isFileBacked ? "file" : $0.path) }
        guard layout(recorded) == layout(replayed) else {
            throw ReplayError.diverged(
                event: 0, what: "exec", expected: layout(recorded).joined(separator: ", "),
                got: layout(replayed).joined(separator: ", "))
        }
    }
}
