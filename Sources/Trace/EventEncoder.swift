import X86Registers

extension EventCodec {
    /// Turns events into their binary form (see `EventCodec` for the layout).
    ///
    /// The encoder remembers the last register file it wrote so the next one can be stored as a
    /// delta; call `resetRegisterBaseline()` wherever the decoder will start afresh.
    public struct Encoder: Sendable {
        private var baseline = RegisterFile.zero
        private var payload: [UInt8] = []

        public init() {}

        /// Makes the next register file be encoded against `RegisterFile.zero`.
        public mutating func resetRegisterBaseline() {
            baseline = .zero
        }

        /// Appends the encoding of `event` to `output`.
        public mutating func encode(_ event: TraceEvent, into output: inout [UInt8]) {
            payload.removeAll(keepingCapacity: true)
            let kind: Kind
            switch event {
            case .exec(let exec):
                kind = .exec
                encodeExec(exec)
            case .syscall(let syscall):
                kind = .syscall
                encodeSyscall(syscall)
            case .instruction(let trap):
                kind = .instruction
                encodeInstruction(trap)
            case .signal(let signal):
                kind = .signal
                encodeSignal(signal)
            case .exit(let exit):
                kind = .exit
                encodeExit(exit)
            case .syscallEntered(let entry):
                kind = .syscallEntered
                payload.appendSignedVarint(Int64(entry.tid))
                encodeRegisters(entry.registers)
            case .asyncPoint(let point):
                kind = .asyncPoint
                encodeAsyncPoint(point)
            }
            output.append(kind.rawValue)
            output.appendVarint(UInt64(payload.count))
            output.append(contentsOf: payload)
        }

        /// The encoding of `event` on its own.
        public mutating func encode(_ event: TraceEvent) -> [UInt8] {
            var output: [UInt8] = []
            encode(event, into: &output)
            return output
        }

        private mutating func encodeExec(_ exec: ExecEvent) {
            payload.appendSignedVarint(Int64(exec.tid))
            encodeRegisters(exec.registers)
            encodeMemoryWrite(exec.stack)
            payload.appendVarint(UInt64(exec.mappings.count))
            for mapping in exec.mappings {
                payload.appendVarint(mapping.start)
                payload.appendVarint(mapping.end)
                payload.appendVarint(UInt64(mapping.protection))
                payload.appendBool(mapping.shared)
                payload.appendVarint(mapping.fileOffset)
                payload.appendString(mapping.path)
                encodeOptionalString(mapping.fileHash)
            }
            payload.appendString(exec.executableHash)
            encodeOptionalString(exec.interpreterHash)
        }

        private mutating func encodeSyscall(_ syscall: SyscallEvent) {
            payload.appendSignedVarint(Int64(syscall.tid))
            encodeRegisters(syscall.registers)
            payload.appendSignedVarint(syscall.result)
            payload.appendVarint(UInt64(syscall.memoryWrites.count))
            for write in syscall.memoryWrites {
                encodeMemoryWrite(write)
            }
            payload.appendVarint(UInt64(syscall.strings.count))
            for (argument, bytes) in syscall.strings.sorted(by: { $0.key < $1.key }) {
                payload.appendSignedVarint(Int64(argument))
                payload.appendLengthPrefixed(bytes)
            }
            if let mappedFile = syscall.mappedFile {
                payload.appendBool(true)
                payload.appendString(mappedFile.fileHash)
                payload.appendVarint(mappedFile.fileOffset)
                payload.appendString(mappedFile.path)
            } else {
                payload.appendBool(false)
            }
            payload.append(syscall.flags.rawValue | (syscall.inputDigest == nil ? 0 : EventCodec.inputDigestPresent))
            if let digest = syscall.inputDigest {
                payload.appendVarint(digest)
            }
        }

        private mutating func encodeInstruction(_ trap: InstructionTrapEvent) {
            payload.appendSignedVarint(Int64(trap.tid))
            payload.append(trap.kind.rawValue)
            encodeRegisters(trap.registers)
            payload.appendVarint(trap.rax)
            payload.appendVarint(trap.rbx)
            payload.appendVarint(trap.rcx)
            payload.appendVarint(trap.rdx)
        }

        private mutating func encodeSignal(_ signal: SignalEvent) {
            payload.appendSignedVarint(Int64(signal.tid))
            payload.appendSignedVarint(Int64(signal.signal))
            payload.append(signal.origin.rawValue)
            payload.appendLengthPrefixed(signal.siginfo)
            encodeRegisters(signal.registers)
        }

        private mutating func encodeExit(_ exit: ExitEvent) {
            payload.appendSignedVarint(Int64(exit.tid))
            switch exit.status {
            case .exited(let code):
                payload.append(ExitStatusTag.exited.rawValue)
                payload.appendSignedVarint(Int64(code))
            case .killed(let signal, let coreDumped):
                payload.append(ExitStatusTag.killed.rawValue)
                payload.appendSignedVarint(Int64(signal))
                payload.appendBool(coreDumped)
            }
        }

        private mutating func encodeAsyncPoint(_ point: AsyncPointEvent) {
            payload.appendSignedVarint(Int64(point.tid))
            payload.append(point.reason.rawValue)
            encodeRegisters(point.registers)
            payload.appendLengthPrefixed(point.extendedState)
            payload.appendVarint(UInt64(point.pages.count))
            for run in point.pages {
                encodeMemoryWrite(run)
            }
        }

        private mutating func encodeMemoryWrite(_ write: MemoryWrite) {
            payload.appendVarint(write.address)
            payload.appendLengthPrefixed(write.bytes)
        }

        private mutating func encodeOptionalString(_ string: String?) {
            if let string {
                payload.appendBool(true)
                payload.appendString(string)
            } else {
                payload.appendBool(false)
            }
        }

        private mutating func encodeRegisters(_ registers: RegisterFile) {
            precondition(registers.values.count == RegisterName.allCases.count, "a register file has 27 values")
            var changed: UInt32 = 0
            for name in RegisterName.allCases where registers[name] != baseline[name] {
                changed |= 1 << UInt32(name.rawValue)
            }
            payload.appendVarint(UInt64(changed))
            for name in RegisterName.allCases where changed & (1 << UInt32(name.rawValue)) != 0 {
                let difference = registers[name] &- baseline[name]
                payload.appendSignedVarint(Int64(bitPattern: difference))
            }
            baseline = registers
        }
    }
}
