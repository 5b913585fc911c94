import System
import Foundation
import SeededRandom
import Trace
import X86Registers
import XCTest

/// A fresh directory under the system temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/rrdbg-trace-test-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        guard let created else { throw TraceError.systemCall(Errno(errno, operation: "create", path: "temp dir")) }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The permission bits of a path (without following a final symlink).
func permissions(of path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Replaces the file at `path` with `bytes`. (Plain POSIX calls: `Data.write` syncs to disk,
/// which makes tests that write thousands of files slow.)
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { throw TraceError.systemCall(Errno(errno, operation: "create", path: path)) }
    defer { close(descriptor) }
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw TraceError.systemCall(Errno(errno, operation: "write", path: path)) }
}

/// Asserts that `body` throws a `TraceError` and returns it.
@discardableResult
func assertTraceError<T>(
    _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> TraceError? {
    do {
        _ = try body()
        XCTFail("expected a TraceError", file: file, line: line)
        return nil
    } catch let error as TraceError {
        return error
    } catch {
        XCTFail("expected a TraceError, got \(error)", file: file, line: line)
        return nil
    }
}

/// Events for tests: hand-written ones covering every field, and random ones for fuzzing.
enum SampleEvents {
    static func registers(_ seed: UInt64) -> RegisterFile {
        var generator = SeededGenerator(seed: seed)
        return RegisterFile((0..<RegisterName.allCases.count).map { _ in generator.next() })
    }

    static let exec = TraceEvent.exec(ExecEvent(
        tid: 4242, registers: registers(1),
        stack: MemoryWrite(address: 0x7ffd_0000_1000, bytes: Array(0..<200)),
        mappings: [
            MappingRecord(
                start: 0x5555_5555_4000, end: 0x5555_5555_6000, protection: 5, shared: false,
                fileOffset: 0x1000, path: "/usr/bin/tést program", fileHash: String(repeating: "ab", count: 32)),
            MappingRecord(
                start: 0x7fff_f7fc_0000, end: 0x7fff_f7fc_4000, protection: 3, shared: true,
                fileOffset: 0, path: "", fileHash: nil),
            MappingRecord(
                start: 0xffff_ffff_ff60_0000, end: 0xffff_ffff_ff60_1000, protection: 4, shared: false,
                fileOffset: UInt64.max, path: "[vsyscall]", fileHash: nil),
        ],
        executableHash: String(repeating: "0f", count: 32), interpreterHash: nil))

    static let execWithInterpreter = TraceEvent.exec(ExecEvent(
        tid: 1, registers: .zero, stack: MemoryWrite(address: 0, bytes: []), mappings: [],
        executableHash: "", interpreterHash: String(repeating: "c3", count: 32)))

    static let syscall = TraceEvent.syscall(SyscallEvent(
        tid: 4242, registers: registers(2), result: -14,
        memoryWrites: [
            MemoryWrite(address: 0x1000, bytes: [1, 2, 3]),
            MemoryWrite(address: UInt64.max, bytes: []),
        ],
        strings: [0: Array("/etc/passwd".utf8), 3: [0xff, 0xfe, 0], -1: []],
        mappedFile: MappedFile(fileHash: String(repeating: "9a", count: 32), fileOffset: 8192, path: "/lib/libc.so.6"),
        flags: .unknown))

    static let plainSyscall = TraceEvent.syscall(SyscallEvent(tid: Int32.max, registers: registers(2), result: Int64.min))

    static let rdtsc = TraceEvent.instruction(InstructionTrapEvent(
        tid: 7, kind: .rdtsc, registers: registers(3), rax: 0x1234, rbx: 0, rcx: 0, rdx: 0x56))

    static let cpuid = TraceEvent.instruction(InstructionTrapEvent(
        tid: 7, kind: .cpuid, registers: registers(3), rax: UInt64.max, rbx: 1, rcx: 2, rdx: 3))

    static let signal = TraceEvent.signal(SignalEvent(
        tid: -3, signal: 11, origin: .synchronous, siginfo: Array(repeating: 0xaa, count: 128),
        registers: registers(4)))

    static let exited = TraceEvent.exit(ExitEvent(tid: 4242, status: .exited(Int32.min)))
    static let killed = TraceEvent.exit(ExitEvent(tid: 4242, status: .killed(signal: 9, coreDumped: true)))

    /// One of each kind and variant.
    static let everyKind: [TraceEvent] = [
        exec, execWithInterpreter, syscall, plainSyscall, rdtsc, cpuid, signal, exited, killed,
    ]

    /// A run of events whose registers change a little each time, as in a real program.
    static func sequence(count: Int, seed: UInt64, maximumBytes: Int = 64) -> [TraceEvent] {
        var generator = SeededGenerator(seed: seed)
        var registers = self.registers(seed)
        var events: [TraceEvent] = []
        for _ in 0..<count {
            for _ in 0..<generator.below(4) {
                let index = generator.below(RegisterName.allCases.count)
                registers.values[index] = generator.chance(1, in: 2)
                    ? registers.values[index] &+ UInt64(generator.below(256))
                    : generator.next()
            }
            events.append(randomEvent(&generator, registers: registers, maximumBytes: maximumBytes))
        }
        return events
    }

    /// An arbitrary event of any kind, with payload sizes up to `maximumBytes`.
    static func randomEvent(
        _ generator: inout SeededGenerator, registers: RegisterFile, maximumBytes: Int
    ) -> TraceEvent {
        let tid = Int32(truncatingIfNeeded: generator.next())
        func hash() -> String? {
            generator.chance(1, in: 3) ? nil : SHA256.hexDigest(of: generator.bytes(4))
        }
        switch generator.below(5) {
        case 0:
            let mappings = (0..<generator.below(4)).map { index in
                MappingRecord(
                    start: generator.next(), end: generator.next(), protection: UInt32(generator.below(8)),
                    shared: generator.chance(1, in: 2), fileOffset: generator.next(),
                    path: "/lib/mapping-\(index)-\(generator.below(1000))", fileHash: hash())
            }
            return .exec(ExecEvent(
                tid: tid, registers: registers,
                stack: MemoryWrite(address: generator.next(), bytes: generator.bytes(generator.below(maximumBytes + 1))),
                mappings: mappings, executableHash: hash() ?? "", interpreterHash: hash()))
        case 1:
            let writes = (0..<generator.below(3)).map { _ in
                MemoryWrite(address: generator.next(), bytes: generator.bytes(generator.below(maximumBytes + 1)))
            }
            var strings: [Int: [UInt8]] = [:]
            for _ in 0..<generator.below(3) {
                strings[generator.below(6)] = generator.bytes(generator.below(16))
            }
            let mappedFile = generator.chance(1, in: 3)
                ? MappedFile(fileHash: hash() ?? "", fileOffset: generator.next(), path: "/usr/lib/x.so") : nil
            return .syscall(SyscallEvent(
                tid: tid, registers: registers, result: Int64(bitPattern: generator.next()),
                memoryWrites: writes, strings: strings, mappedFile: mappedFile,
                flags: generator.chance(1, in: 4) ? .unknown : []))
        case 2:
            let kinds: [InstructionTrapEvent.Kind] = [.rdtsc, .rdtscp, .cpuid]
            return .instruction(InstructionTrapEvent(
                tid: tid, kind: kinds[generator.below(3)], registers: registers, rax: generator.next(),
                rbx: generator.next(), rcx: generator.next(), rdx: generator.next()))
        case 3:
            let origins: [SignalEvent.Origin] = [.synchronous, .atSyscallExit, .asynchronous]
            return .signal(SignalEvent(
                tid: tid, signal: Int32(generator.below(65)), origin: origins[generator.below(3)],
                siginfo: generator.bytes(128), registers: registers))
        default:
            let status: ExitEvent.Status = generator.chance(1, in: 2)
                ? .exited(Int32(truncatingIfNeeded: generator.next()))
                : .killed(signal: Int32(1 + generator.below(64)), coreDumped: generator.chance(1, in: 2))
            return .exit(ExitEvent(tid: tid, status: status))
        }
    }

    /// The encoding of `events` by one encoder, as one frame would hold them.
    static func encode(_ events: [TraceEvent]) -> [UInt8] {
        var encoder = EventCodec.Encoder()
        var bytes: [UInt8] = []
        for event in events {
            encoder.encode(event, into: &bytes)
        }
        return bytes
    }

    static func header(command: [String] = ["/bin/true", "--flag"]) -> TraceHeader {
        TraceHeader(
            rrdbgVersion: "0.1.0-test", command: command, environment: ["PATH=/usr/bin", "SECRET=x"],
            cwd: "/tmp", startTime: 1_700_000_000.25, executable: command.first ?? "")
    }
}
