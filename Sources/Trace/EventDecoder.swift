import X86Registers

extension EventCodec {
    /// Turns the binary form back into events, checking every byte of it.
    ///
    /// Input may be damaged or hostile, so decoding never traps: lengths beyond the data,
    /// overflowing varints, unknown kinds or enum values, invalid UTF-8, duplicate keys and
    /// leftover payload bytes all throw a `TraceError`. The register baseline advances only
    /// when an event decodes completely.
    public struct Decoder: Sendable {
        private var baseline = RegisterFile.zero

        public init() {}

        /// Makes the next register file be decoded against `RegisterFile.zero`.
        public mutating func resetRegisterBaseline() {
            baseline = .zero
        }

        /// Decodes the event that starts at `offset` in `bytes` and moves `offset` past it.
        public mutating func decode(_ bytes: [UInt8], at offset: inout Int) throws -> TraceEvent {
            guard offset >= 0 && offset < bytes.count else {
                throw TraceError.malformedEvent(reason: "no event at offset \(offset)")
            }
            var header = ByteReader(bytes, from: offset, to: bytes.count)
            let kindByte = try header.readByte("event kind")
            guard let kind = Kind(rawValue: kindByte) else {
                throw TraceError.unknownEventKind(kindByte)
            }
            let length = try header.readCount("event payload")
            let payloadStart = header.position
            var payload = ByteReader(bytes, from: payloadStart, to: payloadStart + length)
            var registers = baseline
            let event: TraceEvent
            switch kind {
            case .exec: event = .exec(try decodeExec(&payload, &registers))
            case .syscall: event = .syscall(try decodeSyscall(&payload, &registers))
            case .instruction: event = .instruction(try decodeInstruction(&payload, &registers))
            case .signal: event = .signal(try decodeSignal(&payload, &registers))
            case .exit: event = .exit(try decodeExit(&payload))
            case .syscallEntered:
                let tid = try payload.readInt32("syscall entry tid")
                try decodeRegisters(&payload, into: &registers)
                event = .syscallEntered(SyscallEntryEvent(tid: tid, registers: registers))
            case .asyncPoint: event = .asyncPoint(try decodeAsyncPoint(&payload, &registers))
            }
            guard payload.remaining == 0 else {
                throw TraceError.malformedEvent(
                    reason: "\(payload.remaining) unexpected bytes at the end of a \(kind) event")
            }
            baseline = registers
            offset = payload.end
            return event
        }

        /// Decodes every event in `bytes`, which must hold whole events only.
        public mutating func decodeAll(_ bytes: [UInt8]) throws -> [TraceEvent] {
            var events: [TraceEvent] = []
            var offset = 0
            while offset < bytes.count {
                events.append(try decode(bytes, at: &offset))
            }
            return events
        }

        private func decodeExec(_ reader: inout ByteReader, _ registers: inout RegisterFile) throws -> ExecEvent {
            let tid = try reader.readInt32("exec tid")
            try decodeRegisters(&reader, into: &registers)
            let stack = try decodeMemoryWrite(&reader, "exec stack")
            let mappingCount = try reader.readCount("exec mapping count")
            var mappings: [MappingRecord] = []
            for _ in 0..<mappingCount {
                let start = try reader.readVarint("mapping start")
                let end = try reader.readVarint("mapping end")
                let protection = try reader.readUInt32("mapping protection")
                let shared = try reader.readBool("mapping shared flag")
                let fileOffset = try reader.readVarint("mapping file offset")
                let path = try reader.readString("mapping path")
                let fileHash = try decodeOptionalString(&reader, "mapping file hash")
                mappings.append(MappingRecord(
                    start: start, end: end, protection: protection, shared: shared,
                    fileOffset: fileOffset, path: path, fileHash: fileHash))
            }
            let executableHash = try reader.readString("executable hash")
            let interpreterHash = try decodeOptionalString(&reader, "interpreter hash")
            return ExecEvent(
                tid: tid, registers: registers, stack: stack, mappings: mappings,
                executableHash: executableHash, interpreterHash: interpreterHash)
        }

        private func decodeSyscall(_ reader: inout ByteReader, _ registers: inout RegisterFile) throws -> SyscallEvent {
            let tid = try reader.readInt32("syscall tid")
            try decodeRegisters(&reader, into: &registers)
            let result = try reader.readSignedVarint("syscall result")
            let writeCount = try reader.readCount("syscall memory write count")
            var memoryWrites: [MemoryWrite] = []
            for _ in 0..<writeCount {
                memoryWrites.append(try decodeMemoryWrite(&reader, "syscall memory write"))
            }
            let stringCount = try reader.readCount("syscall string count")
            var strings: [Int: [UInt8]] = [:]
            for _ in 0..<stringCount {
                let argument = Int(try reader.readSignedVarint("syscall string argument index"))
                let bytes = try reader.readLengthPrefixed("syscall string")
                guard strings.updateValue(bytes, forKey: argument) == nil else {
                    throw TraceError.malformedEvent(reason: "syscall string for argument \(argument) appears twice")
                }
            }
            var mappedFile: MappedFile?
            if try reader.readBool("syscall mapped file presence") {
                let fileHash = try reader.readString("mapped file hash")
                let fileOffset = try reader.readVarint("mapped file offset")
                let path = try reader.readString("mapped file path")
                mappedFile = MappedFile(fileHash: fileHash, fileOffset: fileOffset, path: path)
            }
            let flagBits = try reader.readByte("syscall flags")
            let knownFlags: UInt8 = SyscallEvent.Flags([.unknown, .toStandardOutput, .toStandardError]).rawValue
                | EventCodec.inputDigestPresent
            guard flagBits & ~knownFlags == 0 else {
                throw TraceError.malformedEvent(reason: "syscall flags 0x\(String(flagBits, radix: 16)) are not known")
            }
            let inputDigest = flagBits & EventCodec.inputDigestPresent != 0
                ? try reader.readVarint("syscall input digest") : nil
            return SyscallEvent(
                tid: tid, registers: registers, result: result, memoryWrites: memoryWrites,
                strings: strings, mappedFile: mappedFile,
                flags: SyscallEvent.Flags(rawValue: flagBits & ~EventCodec.inputDigestPresent),
                inputDigest: inputDigest)
        }

        private func decodeInstruction(
            _ reader: inout ByteReader, _ registers: inout RegisterFile
        ) throws -> InstructionTrapEvent {
            let tid = try reader.readInt32("instruction tid")
            let kindByte = try reader.readByte("instruction kind")
            guard let kind = InstructionTrapEvent.Kind(rawValue: kindByte) else {
                throw TraceError.malformedEvent(reason: "unknown trapped instruction kind \(kindByte)")
            }
            try decodeRegisters(&reader, into: &registers)
            let rax = try reader.readVarint("instruction rax")
            let rbx = try reader.readVarint("instruction rbx")
            let rcx = try reader.readVarint("instruction rcx")
            let rdx = try reader.readVarint("instruction rdx")
            return InstructionTrapEvent(
                tid: tid, kind: kind, registers: registers, rax: rax, rbx: rbx, rcx: rcx, rdx: rdx)
        }

        private func decodeSignal(_ reader: inout ByteReader, _ registers: inout RegisterFile) throws -> SignalEvent {
            let tid = try reader.readInt32("signal tid")
            let signal = try reader.readInt32("signal number")
            let originByte = try reader.readByte("signal origin")
            guard let origin = SignalEvent.Origin(rawValue: originByte) else {
                throw TraceError.malformedEvent(reason: "unknown signal origin \(originByte)")
            }
            let siginfo = try reader.readLengthPrefixed("siginfo")
            try decodeRegisters(&reader, into: &registers)
            return SignalEvent(tid: tid, signal: signal, origin: origin, siginfo: siginfo, registers: registers)
        }

        private func decodeExit(_ reader: inout ByteReader) throws -> ExitEvent {
            let tid = try reader.readInt32("exit tid")
            let tagByte = try reader.readByte("exit status kind")
            switch ExitStatusTag(rawValue: tagByte) {
            case .exited:
                return ExitEvent(tid: tid, status: .exited(try reader.readInt32("exit code")))
            case .killed:
                let signal = try reader.readInt32("exit signal")
                guard ExitEvent.Status.signalNumbers.contains(signal) else {
                    throw TraceError.malformedEvent(reason: "exit signal \(signal) is not a signal number")
                }
                let coreDumped = try reader.readBool("exit core-dumped flag")
                return ExitEvent(tid: tid, status: .killed(signal: signal, coreDumped: coreDumped))
            case nil:
                throw TraceError.malformedEvent(reason: "unknown exit status kind \(tagByte)")
            }
        }

        private func decodeAsyncPoint(_ reader: inout ByteReader, _ registers: inout RegisterFile) throws -> AsyncPointEvent {
            let tid = try reader.readInt32("async point tid")
            let reasonByte = try reader.readByte("async point reason")
            guard let reason = AsyncPointEvent.Reason(rawValue: reasonByte) else {
                throw TraceError.malformedEvent(reason: "unknown async point reason \(reasonByte)")
            }
            try decodeRegisters(&reader, into: &registers)
            let extendedState = try reader.readLengthPrefixed("async point extended state")
            let runCount = try reader.readCount("async point page run count")
            var pages: [MemoryWrite] = []
            for _ in 0..<runCount {
                pages.append(try decodeMemoryWrite(&reader, "async point pages"))
            }
            return AsyncPointEvent(
                tid: tid, reason: reason, registers: registers, extendedState: extendedState, pages: pages)
        }

        private func decodeMemoryWrite(_ reader: inout ByteReader, _ field: String) throws -> MemoryWrite {
            let address = try reader.readVarint(field)
            let bytes = try reader.readLengthPrefixed(field)
            return MemoryWrite(address: address, bytes: bytes)
        }

        private func decodeOptionalString(_ reader: inout ByteReader, _ field: String) throws -> String? {
            guard try reader.readBool(field) else { return nil }
            return try reader.readString(field)
        }

        private func decodeRegisters(_ reader: inout ByteReader, into registers: inout RegisterFile) throws {
            let mask = try reader.readVarint("register mask")
            guard mask >> UInt64(RegisterName.allCases.count) == 0 else {
                throw TraceError.malformedEvent(
                    reason: "register mask 0x\(String(mask, radix: 16)) names more than 27 registers")
            }
            for name in RegisterName.allCases where mask & (1 << UInt64(name.rawValue)) != 0 {
                let difference = try reader.readSignedVarint(name.description)
                registers[name] &+= UInt64(bitPattern: difference)
            }
        }
    }
}
