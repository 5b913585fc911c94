import SeededRandom
import Trace
import X86Registers
import XCTest

final class EventCodecTests: XCTestCase {
    private func roundTrip(_ events: [TraceEvent], file: StaticString = #filePath, line: UInt = #line) throws {
        var decoder = EventCodec.Decoder()
        XCTAssertEqual(try decoder.decodeAll(SampleEvents.encode(events)), events, file: file, line: line)
    }

    func testEveryKindRoundTripsAlone() throws {
        for event in SampleEvents.everyKind {
            try roundTrip([event])
        }
    }

    func testEveryKindRoundTripsInOneStream() throws {
        try roundTrip(SampleEvents.everyKind + SampleEvents.everyKind.reversed())
    }

    func testRandomSequencesRoundTrip() throws {
        for seed in 0..<20 as Range<UInt64> {
            try roundTrip(SampleEvents.sequence(count: 200, seed: seed))
        }
    }

    func testBigMemoryWritesRoundTrip() throws {
        var generator = SeededGenerator(seed: 99)
        let big = generator.bytes(5 << 20)
        let stack = generator.bytes(3 << 20)
        let events: [TraceEvent] = [
            .exec(ExecEvent(
                tid: 1, registers: SampleEvents.registers(5), stack: MemoryWrite(address: 0x7ff0_0000_0000, bytes: stack),
                mappings: [], executableHash: "", interpreterHash: nil)),
            .syscall(SyscallEvent(
                tid: 1, registers: SampleEvents.registers(6), result: Int64(big.count),
                memoryWrites: [MemoryWrite(address: 0x10000, bytes: big), MemoryWrite(address: 0x20000, bytes: [7])])),
        ]
        try roundTrip(events)
    }

    func testUnchangedRegistersCostOneMaskByte() {
        let registers = SampleEvents.registers(8)
        let event = TraceEvent.instruction(InstructionTrapEvent(
            tid: 1, kind: .rdtscp, registers: registers, rax: 0, rbx: 0, rcx: 0, rdx: 0))
        var encoder = EventCodec.Encoder()
        let first = encoder.encode(event)
        let second = encoder.encode(event)
        // kind, length, tid, instruction kind, mask, then four one-byte values.
        XCTAssertEqual(second.count, 9)
        XCTAssertGreaterThan(first.count, 27 * 8)
        var changed = registers
        changed[.rip] &+= 2
        let third = encoder.encode(.instruction(InstructionTrapEvent(
            tid: 1, kind: .rdtscp, registers: changed, rax: 0, rbx: 0, rcx: 0, rdx: 0)))
        XCTAssertEqual(third.count, 12, "one changed register: a 3-byte mask and a 1-byte delta")
    }

    /// The register file's byte layout is the trace format: the mask's bit i and the i-th delta
    /// are the i-th field of `user_regs_struct`. These bytes must never change.
    func testRegisterFileEncodingIsPinned() {
        let first = RegisterFile((1...27).map { UInt64($0) })
        var second = first
        second[.rip] &+= 2
        second[.rsp] &-= 8
        var encoder = EventCodec.Encoder()
        let encoded = encoder.encode(.syscallEntered(SyscallEntryEvent(tid: 1, registers: first)))
            + encoder.encode(.syscallEntered(SyscallEntryEvent(tid: 1, registers: second)))
        // Kind 6, payload length, tid 1, a mask with all 27 bits, then each register's
        // zigzagged delta from zero: 1...27 become 2, 4, ..., 54.
        let everyRegister: [UInt8] = [6, 32, 2, 0xff, 0xff, 0xff, 0x3f] + (1...27).map { UInt8($0 * 2) }
        // The mask has bits 16 (rip) and 19 (rsp); rip moved by +2, rsp by -8.
        let ripAndRsp: [UInt8] = [6, 6, 2, 0x80, 0x80, 0x24, 4, 15]
        XCTAssertEqual(encoded, everyRegister + ripAndRsp)
    }

    func testRegisterDeltasWrapAround() throws {
        let low = RegisterFile.zero
        let high = RegisterFile([UInt64](repeating: UInt64.max, count: RegisterName.allCases.count))
        let events: [TraceEvent] = [low, high, low, high].map {
            .signal(SignalEvent(tid: 1, signal: 2, origin: .asynchronous, siginfo: [], registers: $0))
        }
        try roundTrip(events)
    }

    func testExitEventsDoNotDisturbRegisterDeltas() throws {
        try roundTrip([SampleEvents.rdtsc, SampleEvents.exited, SampleEvents.cpuid, SampleEvents.killed, SampleEvents.rdtsc])
    }

    func testResettingBothSidesAllowsDecodingAFreshStream() throws {
        var encoder = EventCodec.Encoder()
        _ = encoder.encode(SampleEvents.syscall)
        encoder.resetRegisterBaseline()
        let second = encoder.encode(SampleEvents.signal)
        var decoder = EventCodec.Decoder()
        XCTAssertEqual(try decoder.decodeAll(second), [SampleEvents.signal])
    }

    func testDecodeAdvancesOffsetEventByEvent() throws {
        let bytes = SampleEvents.encode([SampleEvents.rdtsc, SampleEvents.exited])
        var decoder = EventCodec.Decoder()
        var offset = 0
        XCTAssertEqual(try decoder.decode(bytes, at: &offset), SampleEvents.rdtsc)
        XCTAssertEqual(try decoder.decode(bytes, at: &offset), SampleEvents.exited)
        XCTAssertEqual(offset, bytes.count)
        XCTAssertNotNil(assertTraceError(try decoder.decode(bytes, at: &offset)))
    }

    // MARK: - Malformed input

    private func decodeError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> TraceError? {
        var decoder = EventCodec.Decoder()
        return assertTraceError(try decoder.decodeAll(bytes), file: file, line: line)
    }

    func testUnknownKindIsNamed() {
        let error = decodeError([0x63, 0])
        XCTAssertEqual(error, .unknownEventKind(0x63))
        XCTAssertEqual(error?.description.contains("unknown trace event kind 99"), true)
    }

    func testPayloadLengthBeyondDataIsRejected() {
        XCTAssertNotNil(decodeError([5, 100, 0, 0]))
    }

    func testVarintOverflowIsRejected() {
        let error = decodeError([5] + [UInt8](repeating: 0xff, count: 10) + [1])
        XCTAssertEqual(error?.description.contains("longer than 64 bits"), true, "\(String(describing: error))")
        // The payload length itself is in range but the tid inside overflows 64 bits.
        let payload: [UInt8] = [UInt8](repeating: 0x80, count: 9) + [0x02, 0]
        XCTAssertNotNil(decodeError([5, UInt8(payload.count)] + payload))
    }

    func testOversizedTidIsRejected() {
        var payload: [UInt8] = []
        payload.append(contentsOf: [0x80, 0x80, 0x80, 0x80, 0x20])  // zigzag value beyond Int32
        payload.append(contentsOf: [0, 0])
        let error = decodeError([5, UInt8(payload.count)] + payload)
        XCTAssertEqual(error?.description.contains("does not fit in 32 bits"), true, "\(String(describing: error))")
    }

    func testUnknownEnumValuesAreRejected() {
        XCTAssertNotNil(decodeError([5, 2, 0, 7]), "exit status tag 7")
        XCTAssertNotNil(decodeError([3, 3, 0, 9, 0]), "instruction kind 9")
        XCTAssertNotNil(decodeError([4, 5, 0, 2, 0, 0, 0]), "signal origin 0")
        XCTAssertNotNil(decodeError([5, 4, 0, 1, 0x16, 2]), "core-dumped flag 2")
    }

    func testRegisterMaskBeyond27BitsIsRejected() {
        // instruction event: tid 0, kind rdtsc, mask with bit 27 set.
        let mask: [UInt8] = [0x80, 0x80, 0x80, 0x40]
        let payload: [UInt8] = [0, 1] + mask + [0, 0, 0, 0]
        let error = decodeError([3, UInt8(payload.count)] + payload)
        XCTAssertEqual(error?.description.contains("register mask"), true, "\(String(describing: error))")
    }

    func testInvalidUTF8IsRejected() {
        var encoder = EventCodec.Encoder()
        var bytes = encoder.encode(.exec(ExecEvent(
            tid: 0, registers: .zero, stack: MemoryWrite(address: 0, bytes: []), mappings: [],
            executableHash: "AB", interpreterHash: nil)))
        guard let index = bytes.firstIndex(of: UInt8(ascii: "A")) else { return XCTFail("no hash bytes") }
        bytes[index] = 0xc0
        let error = decodeError(bytes)
        XCTAssertEqual(error?.description.contains("not valid UTF-8"), true, "\(String(describing: error))")
    }

    func testTrailingPayloadBytesAreRejected() {
        var bytes = SampleEvents.encode([SampleEvents.exited])
        bytes[1] += 1
        bytes.append(0)
        XCTAssertNotNil(decodeError(bytes))
    }

    func testDuplicateStringArgumentIsRejected() {
        var encoder = EventCodec.Encoder()
        let single = encoder.encode(.syscall(SyscallEvent(tid: 0, registers: .zero, result: 0, strings: [1: [65]])))
        // Payload: tid, mask, result, write count, string count 1, key 2 (zigzag 1), length 1, 'A', ...
        guard let countIndex = single.firstIndex(of: 65).map({ $0 - 3 }), single[countIndex] == 1 else {
            return XCTFail("unexpected layout \(single)")
        }
        var doubled = single
        doubled[countIndex] = 2
        doubled.insert(contentsOf: [2, 1, 66], at: countIndex + 4)
        doubled[1] += 3
        let error = decodeError(doubled)
        XCTAssertEqual(error?.description.contains("appears twice"), true, "\(String(describing: error))")
    }

    func testUnknownSyscallFlagsAreRejected() {
        var bytes = SampleEvents.encode([SampleEvents.plainSyscall])
        bytes[bytes.count - 1] = 0x80
        XCTAssertNotNil(decodeError(bytes))
    }

    func testEveryTruncationOfAnEncodingFailsCleanly() {
        let bytes = SampleEvents.encode(SampleEvents.everyKind)
        var boundaries: Set<Int> = [0]
        var decoder = EventCodec.Decoder()
        var offset = 0
        while offset < bytes.count, (try? decoder.decode(bytes, at: &offset)) != nil {
            boundaries.insert(offset)
        }
        for length in 0..<bytes.count where !boundaries.contains(length) {
            var fresh = EventCodec.Decoder()
            XCTAssertThrowsError(try fresh.decodeAll(Array(bytes[..<length])), "length \(length)")
        }
    }
}
