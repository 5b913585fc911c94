import Guest
import Syscalls
import Trace

/// The processes of a recording, read from its events: who created whom, what each ran, and
/// how each ended. `rrdbg ps` prints it.
public struct ProcessTree: Sendable {
    public struct Process: Sendable, Equatable {
        public var pid: Int32
        /// The recorded parent, or nil for the process rrdbg started.
        public var ppid: Int32?
        /// The command line of the last program the process executed (its parent's, until it
        /// executes one).
        public var command: [String]
        /// How it ended; nil if it was still running when the recording ended.
        public var exit: ExitEvent.Status?
    }

    /// In order of creation.
    public private(set) var processes: [Process] = []

    public init(trace: TraceDirectory) throws {
        let reader = try TraceReader(directory: trace)
        var processOfThread: [Int32: Int32] = [:]
        var index: [Int32: Int] = [:]
        while let event = try reader.next() {
            switch event {
            case .exec(let exec):
                let command = Self.arguments(of: exec)
                if let position = index[exec.tid] {
                    processes[position].command = command
                } else {
                    index[exec.tid] = processes.count
                    processes.append(Process(pid: exec.tid, ppid: nil, command: command, exit: nil))
                }
                processOfThread[exec.tid] = exec.tid
            case .syscall(let call) where call.flags.isDisjoint(with: .unknown) && !SyscallResult.isError(call.result):
                guard SyscallTable.descriptor(for: call.number)?.replay == .createTask, call.result > 0 else { continue }
                let parent = processOfThread[call.tid] ?? call.tid
                let child = Int32(truncatingIfNeeded: call.result)
                if TaskCreation.createsProcess(Registers(values: call.registers.values)) {
                    processOfThread[child] = child
                    index[child] = processes.count
                    let command = index[parent].map { processes[$0].command } ?? []
                    processes.append(Process(pid: child, ppid: parent, command: command, exit: nil))
                } else {
                    processOfThread[child] = parent
                }
            case .exit(let end):
                if let position = index[end.tid] { processes[position].exit = end.status }
            default:
                continue
            }
        }
    }

    /// argv from the recorded initial stack: argc, then pointers to strings in the same stack.
    static func arguments(of exec: ExecEvent) -> [String] {
        let stack = exec.stack.bytes
        let base = exec.stack.address
        func word(at offset: Int) -> UInt64? {
            guard offset >= 0, offset + 8 <= stack.count else { return nil }
            return stack[offset..<offset + 8].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        guard let argc = word(at: 0), argc < 4096 else { return [] }
        var arguments: [String] = []
        for position in 0..<Int(argc) {
            guard let pointer = word(at: 8 + 8 * position), pointer >= base, pointer - base < UInt64(stack.count) else { break }
            let start = Int(pointer - base)
            let end = stack[start...].firstIndex(of: 0) ?? stack.count
            arguments.append(String(decoding: stack[start..<end], as: UTF8.self))
        }
        return arguments
    }
}
