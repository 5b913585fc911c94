import Syscalls
import Trace

/// What each file descriptor of the program refers to at a point of its trace, worked out from
/// the recorded calls that create, copy and close descriptors.
///
/// A hang report names what a blocked call waits on, `read(fd 3 = pipe (read end), …)`, which
/// says far more than `read(3, …)`. Replay cannot ask the kernel: most of the program's
/// descriptors were emulated and do not exist in the replaying process. The trace's own events
/// are the only source, so the table follows them, and a descriptor made some other way (passed
/// in a unix socket message, say) is simply not in it.
public struct FileDescriptorTable: Equatable, Sendable {
    /// What one descriptor refers to. Descriptors copied by `dup` share the object.
    private struct Entry: Equatable, Sendable {
        var object: Int
        var kind: Kind
    }

    private enum Kind: Equatable, Sendable {
        case pipe(readEnd: Bool)
        /// Anything else, already described.
        case other(String)
    }

    private var entries: [Int32: Entry] = [:]
    private var objectsCreated = 0

    /// The table a program starts with: the standard streams it inherited.
    public init() {
        for (fd, name) in [(0, "standard input"), (1, "standard output"), (2, "standard error")] {
            entries[Int32(fd)] = newEntry(.other(name))
        }
    }

    /// The table after events 0 through `lastEvent` of `trace` (all of them when nil).
    public static func read(from trace: TraceDirectory, through lastEvent: Int?) throws -> FileDescriptorTable {
        var table = FileDescriptorTable()
        let reader = try TraceReader(directory: trace)
        var index = 0
        while lastEvent.map({ index <= $0 }) ?? true, let event = try reader.next() {
            if case .syscall(let call) = event { table.apply(call) }
            index += 1
        }
        return table
    }

    /// What `fd` refers to, or nil when the trace does not say. A pipe end also says where the
    /// other end is open, since a reader waits forever once no writer is left.
    public func describe(_ fd: Int32) -> String? {
        guard let entry = entries[fd] else { return nil }
        switch entry.kind {
        case .other(let text):
            return text
        case .pipe(let readEnd):
            let otherEnd = entries.filter { $0.value.object == entry.object && $0.value.kind == .pipe(readEnd: !readEnd) }
                .keys.sorted()
            let otherName = readEnd ? "write end" : "read end"
            let other = otherEnd.isEmpty
                ? "no \(otherName) open in the program"
                : "\(otherName) open as fd " + otherEnd.map(String.init).joined(separator: ", ")
            return "pipe (\(readEnd ? "read end" : "write end"); \(other))"
        }
    }

    /// Follows one completed call. Failed calls, and calls that neither create, copy nor close
    /// descriptors (the table's `fileDescriptors` effect), change nothing.
    public mutating func apply(_ call: SyscallEvent) {
        guard !SyscallResult.isError(call.result),
              let effect = SyscallTable.descriptor(for: call.number)?.fileDescriptors
        else { return }
        let arguments = call.arguments
        let result = Int32(truncatingIfNeeded: call.result)
        switch effect {
        case .opens(let kind):
            entries[result] = newEntry(.other(Self.describe(kind, openedBy: call)))
        case .opensPair(let kind, let pairArgument):
            guard let ends = Self.writtenPair(at: arguments[pairArgument], in: call.memoryWrites) else { return }
            if kind == .pipe {
                let object = nextObject()
                entries[ends.0] = Entry(object: object, kind: .pipe(readEnd: true))
                entries[ends.1] = Entry(object: object, kind: .pipe(readEnd: false))
            } else {
                entries[ends.0] = newEntry(.other(Self.describe(kind, openedBy: call, peer: ends.1)))
                entries[ends.1] = newEntry(.other(Self.describe(kind, openedBy: call, peer: ends.0)))
            }
        case .duplicates(let target, let variants):
            guard variants?.contain(arguments) ?? true else { return }
            switch target {
            case .result: copy(arguments[0], to: result)
            case .argument(let index): copy(arguments[0], to: Int32(truncatingIfNeeded: arguments[index]))
            }
        case .closes:
            entries[Int32(truncatingIfNeeded: arguments[0])] = nil
        case .closesRange where arguments[2] & Self.closeRangeCloseOnExec == 0:
            let first = UInt32(truncatingIfNeeded: arguments[0]), last = UInt32(truncatingIfNeeded: arguments[1])
            entries = entries.filter { fd, _ in !(first...max(first, last)).contains(UInt32(bitPattern: fd)) }
        case .closesRange:
            break
        }
    }

    /// What a descriptor of `kind`, made by `call`, refers to. A descriptor made as one of a
    /// pair also names the other one, `peer`.
    private static func describe(_ kind: FileDescriptorKind, openedBy call: SyscallEvent, peer: Int32? = nil) -> String {
        let arguments = call.arguments
        let peerText = peer.map { "; its peer is fd \($0)" } ?? ""
        switch kind {
        case .file(let pathArgument):
            return file(call.strings[pathArgument])
        case .memoryFile:
            return "memfd" + (call.strings[0].map { " " + SyscallFormatter.quoted($0) } ?? "")
        case .pipe:
            return "pipe"
        case .socket:
            return "socket (\(socketKind(family: arguments[0], type: arguments[1]))\(peerText))"
        case .acceptedSocket:
            return "socket (accepted on fd \(Int32(truncatingIfNeeded: arguments[0])))"
        case .eventfd:
            return "eventfd"
        case .epoll:
            return "epoll instance"
        case .timerfd:
            return "timerfd (\(SyscallFormatter.formatArgument(arguments[0], as: .clockID)))"
        case .signalfd:
            return "signalfd"
        case .inotify:
            return "inotify instance"
        }
    }

    private mutating func copy(_ source: UInt64, to target: Int32) {
        let source = Int32(truncatingIfNeeded: source)
        guard source != target else { return }
        entries[target] = entries[source]
    }

    private mutating func nextObject() -> Int {
        objectsCreated += 1
        return objectsCreated
    }

    private mutating func newEntry(_ kind: Kind) -> Entry {
        Entry(object: nextObject(), kind: kind)
    }

    /// The two `int`s the kernel stored at `address` (the descriptors of `pipe` and
    /// `socketpair`), found among the call's recorded memory writes.
    private static func writtenPair(at address: UInt64, in writes: [MemoryWrite]) -> (Int32, Int32)? {
        for write in writes where write.address <= address {
            let offset = Int(address - write.address)
            guard offset + 8 <= write.bytes.count else { continue }
            let words = (0..<2).map { word in
                (0..<4).reduce(UInt32(0)) { value, byte in value | UInt32(write.bytes[offset + word * 4 + byte]) << (8 * byte) }
            }
            return (Int32(bitPattern: words[0]), Int32(bitPattern: words[1]))
        }
        return nil
    }

    /// `AF_INET, SOCK_STREAM`: the family and the type without its flags.
    private static func socketKind(family: UInt64, type: UInt64) -> String {
        let types = [1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 5: "SOCK_SEQPACKET"]
        let baseType = Int(type & 0xf)
        return SyscallFormatter.formatArgument(family, as: .socketFamily) + ", " + (types[baseType] ?? "type \(baseType)")
    }

    private static func file(_ path: [UInt8]?) -> String {
        path.map { "file " + SyscallFormatter.quoted($0) } ?? "file"
    }

    private static let closeRangeCloseOnExec: UInt64 = 4  // CLOSE_RANGE_CLOEXEC: marks, does not close
}
