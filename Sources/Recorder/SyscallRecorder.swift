import Guest
import Syscalls
import Trace

/// Turns one finished syscall into a trace event: the result, every byte of memory the kernel
/// wrote (as the syscall table describes it), the strings it read, and for file-backed `mmap`
/// an archived copy of the file.
final class SyscallRecorder {
    private let files: FileArchive
    private let warnings: RecordingWarnings
    private let standardStreams = StandardStreams()
    static let mapAnonymous: UInt64 = 0x20

    init(files: FileArchive, warnings: RecordingWarnings) {
        self.files = files
        self.warnings = warnings
    }

    /// Reads the C strings a call takes (paths and the like) at its entry, before the call can
    /// change them.
    func captureStrings(_ entry: Registers, memory: GuestMemory) -> [Int: [UInt8]] {
        guard let descriptor = SyscallTable.descriptor(for: entry.syscallNumber) else { return [:] }
        var strings: [Int: [UInt8]] = [:]
        let arguments = entry.syscallArguments
        for (index, format) in descriptor.arguments.enumerated() where format == .string && arguments[index] != 0 {
            strings[index] = try? memory.readCString(arguments[index])
        }
        return strings
    }

    func event(tid: Int32, entry: Registers, result: Int64, strings: [Int: [UInt8]], memory: GuestMemory) throws -> SyscallEvent {
        var event = SyscallEvent(tid: tid, registers: RegisterFile(entry.values), result: result, strings: strings)
        let number = entry.syscallNumber
        guard let descriptor = SyscallTable.descriptor(for: number) else {
            warnings.add(
                "\(SyscallTable.name(of: number)) (syscall \(number)) is not in rrdbg's syscall table: its memory effects were not recorded, so replay may diverge",
                affectsReplay: true)
            event.flags.insert(.unknown)
            return event
        }
        if let outgoing = descriptor.outgoingData, result > 0 {
            let sent = try outgoing.bytes(entry.syscallArguments, count: Int(result), memory: memory)
            event.inputDigest = InputDigest.of(sent)
            switch standardStreams.stream(of: Int32(truncatingIfNeeded: entry.syscallArguments[0]), inThread: tid) {
            case 1?: event.flags.insert(.toStandardOutput)
            case 2?: event.flags.insert(.toStandardError)
            default: break
            }
        }
        let context = SyscallOutputContext(arguments: entry.syscallArguments, result: result, memory: memory)
        do {
            for range in try descriptor.writtenMemory(context) where range.length > 0 {
                event.memoryWrites.append(MemoryWrite(address: range.address, bytes: try memory.read(range.address, count: range.length)))
            }
        } catch let unknown as UnknownSyscallVariant {
            warnings.add(
                "\(descriptor.name) \(unknown.description) is not in rrdbg's syscall table: its memory effects were not recorded, so replay may diverge",
                affectsReplay: true)
            event.flags.insert(.unknown)
        }
        if descriptor.replay == .mapMemory {
            event.mappedFile = try archiveMappedFile(entry.syscallArguments, pid: memory.pid)
        }
        return event
    }

    /// Copies the file behind a successful file-backed mmap into the trace, through
    /// `/proc/PID/fd/N` so that it works even if the file was already deleted.
    private func archiveMappedFile(_ arguments: [UInt64], pid: Int32) throws -> MappedFile? {
        let flags = arguments[3]
        let fd = Int32(truncatingIfNeeded: arguments[4])
        guard flags & SyscallRecorder.mapAnonymous == 0, fd >= 0 else { return nil }
        let link = "/proc/\(pid)/fd/\(fd)"
        let hash = try files.storeFile(at: link, executable: false)
        return MappedFile(fileHash: hash, fileOffset: arguments[5], path: (try? ProcFile.readLink(link)) ?? "")
    }
}
