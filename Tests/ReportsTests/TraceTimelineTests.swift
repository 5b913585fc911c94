import Reports
import SeededRandom
import Syscalls
import Trace
import X86Registers
import XCTest

/// The adapter from trace events to a timeline, on synthetic event lists shaped like what the
/// recorder writes.
final class TraceTimelineTests: XCTestCase {
    // MARK: Building events

    private static let cloneThread: UInt64 = 0x3d0f00

    private func registers(_ call: Syscall, _ arguments: [UInt64] = []) -> RegisterFile {
        var registers = RegisterFile.zero
        registers[.origRax] = UInt64(call.rawValue)
        for (argument, name) in zip(arguments, RegisterName.syscallArguments) {
            registers[name] = argument
        }
        registers[.rip] = 0x401000
        return registers
    }

    /// An exec of `program`, which maps the executable's file and the C library.
    private func exec(_ tid: Int32, program: String = "/usr/bin/server") -> TraceEvent {
        let mappings = [("/usr/lib/libc.so.6", "c0"), (program, "e0")].map { path, hash in
            MappingRecord(start: 0x1000, end: 0x2000, protection: 5, shared: false, fileOffset: 0, path: path, fileHash: hash)
        }
        return .exec(ExecEvent(tid: tid, registers: .zero, stack: MemoryWrite(address: 0, bytes: []), mappings: mappings,
                               executableHash: "e0", interpreterHash: "c0"))
    }

    private func syscall(_ tid: Int32, _ call: Syscall, _ arguments: [UInt64] = [], result: Int64 = 0,
                         strings: [Int: [UInt8]] = [:]) -> TraceEvent {
        .syscall(SyscallEvent(tid: tid, registers: registers(call, arguments), result: result, strings: strings))
    }

    private func entered(_ tid: Int32, _ call: Syscall, _ arguments: [UInt64] = []) -> TraceEvent {
        .syscallEntered(SyscallEntryEvent(tid: tid, registers: registers(call, arguments)))
    }

    private func asyncPoint(_ tid: Int32, _ reason: AsyncPointEvent.Reason) -> TraceEvent {
        .asyncPoint(AsyncPointEvent(tid: tid, reason: reason, registers: registers(.read), extendedState: [], pages: []))
    }

    private func signal(_ tid: Int32, _ number: Int32, _ origin: SignalEvent.Origin) -> TraceEvent {
        .signal(SignalEvent(tid: tid, signal: number, origin: origin, siginfo: [], registers: registers(.read)))
    }

    private func rdtsc(_ tid: Int32) -> TraceEvent {
        .instruction(InstructionTrapEvent(tid: tid, kind: .rdtsc, registers: .zero, rax: 0, rbx: 0, rcx: 0, rdx: 0))
    }

    private func exit(_ tid: Int32, _ status: ExitEvent.Status) -> TraceEvent {
        .exit(ExitEvent(tid: tid, status: status))
    }

    private func timeline(_ events: [TraceEvent], interruptedBy: String? = nil) -> TimelineModel {
        var header = TraceHeader(
            rrdbgVersion: "test", command: ["./build/server", "--port", "80"], environment: [], cwd: "/",
            startTime: 0, executable: "/src/build/server")
        header.interruptedBy = interruptedBy
        var timeline = TraceTimeline(header: header, title: "server-0")
        for event in events {
            timeline.add(event)
        }
        return timeline.model()
    }

    private func spans(_ model: TimelineModel, lane: Int) -> [String] {
        model.spans.filter { $0.lane == lane }.sorted { $0.firstEvent < $1.firstEvent }.map { span in
            "\(span.firstEvent)-\(span.lastEvent) \(span.kind.rawValue)" + (span.label.isEmpty ? "" : " \(span.label)")
        }
    }

    private func marks(_ model: TimelineModel, lane: Int) -> [String] {
        model.marks.filter { $0.lane == lane }.map { "\($0.event) \($0.kind.rawValue) \($0.label)" }
    }

    // MARK: Tests

    func testAMainThreadWaitingForAWorker() {
        let model = timeline([
            /* 0 */ exec(100),
            /* 1 */ syscall(100, .brk),
            /* 2 */ syscall(100, .clone, [Self.cloneThread, 0x7000], result: 101),
            /* 3 */ rdtsc(100),
            /* 4 */ entered(100, .futex, [0x7f00, 0, 101]),
            /* 5 */ syscall(101, .set_robust_list, [0x7100, 24]),
            /* 6 */ syscall(101, .exit, [0]),
            /* 7 */ syscall(100, .futex, [0x7f00, 0, 101]),
            /* 8 */ syscall(100, .exit_group, [3]),
            /* 9 */ exit(100, .exited(3)),
        ])
        XCTAssertEqual(model.title, "server-0")
        XCTAssertEqual(model.commandLine, ["./build/server", "--port", "80"])
        XCTAssertEqual(model.eventCount, 10)
        XCTAssertEqual(model.lanes, [
            TimelineLane(id: 0, name: "server", processID: 100, threadID: 100),
            TimelineLane(id: 1, name: "", processID: 100, threadID: 101),
        ])
        XCTAssertEqual(spans(model, lane: 0), [
            "0-3 running", "4-6 blocked futex(0x7f00, FUTEX_WAIT, 101, NULL, NULL, 0)", "7-8 running",
        ])
        XCTAssertEqual(spans(model, lane: 1), ["3-4 runnable", "5-6 running"])
        XCTAssertEqual(marks(model, lane: 0), ["0 created exec server", "8 exited exit_group(3)"])
        XCTAssertEqual(marks(model, lane: 1), ["2 created by thread 100", "6 exited exit(0)"])

        let blocked = model.spans.first { $0.kind == .blocked }
        XCTAssertEqual(blocked?.detail, "returned 0")
        // The process's status joins the exit_group mark rather than making a second one.
        XCTAssertEqual(model.marks.last?.detail, "the process exited with status 3")
        XCTAssertEqual(model.marks.first { $0.label == "by thread 100" }?.detail,
                       "clone(0x3d0f00, 0x7000, NULL, NULL, NULL) = 101")
    }

    func testPreemptionLeavesAThreadRunnable() {
        let model = timeline([
            exec(1), syscall(1, .clone, [Self.cloneThread], result: 2),
            /* 2 */ asyncPoint(1, .preempted),
            /* 3 */ syscall(2, .getpid, result: 1),
            /* 4 */ asyncPoint(2, .preempted),
            /* 5 */ syscall(1, .getpid, result: 1),
        ])
        XCTAssertEqual(spans(model, lane: 0), ["0-2 running", "3-4 runnable", "5-5 running"])
        XCTAssertEqual(spans(model, lane: 1), ["2-2 runnable", "3-4 running", "5-5 runnable"])
        XCTAssertEqual(marks(model, lane: 0), ["0 created exec server", "2 preempted "])
        XCTAssertEqual(model.marks.first { $0.kind == .preempted }?.detail, "in user code at rip=0x401000")
    }

    /// The label comes from the completed call, which holds the strings the call read.
    func testACallThatReturnsBeforeAnotherThreadRunsIsBlockedForOneEvent() {
        let arguments = [UInt64(bitPattern: -100), 0x5000, 0]
        let model = timeline([
            exec(1), entered(1, .openat, arguments),
            syscall(1, .openat, arguments, result: 3, strings: [1: Array("/etc/hosts".utf8)]),
        ])
        XCTAssertEqual(spans(model, lane: 0), [
            "0-0 running", #"1-1 blocked openat(AT_FDCWD, "/etc/hosts", O_RDONLY)"#, "2-2 running",
        ])
        XCTAssertEqual(model.spans[1].detail, "returned 3")
    }

    func testARecordingEndedByTimeoutLeavesBlockedThreadsBlockedToTheEnd() {
        let model = timeline([
            exec(1),
            syscall(1, .clone, [Self.cloneThread], result: 2),
            syscall(1, .clone, [Self.cloneThread], result: 3),
            /* 3 */ entered(1, .futex, [0x7f00, 0, 2]),
            /* 4 */ entered(2, .futex, [0x6000, 128, 2]),
            /* 5 */ rdtsc(3),
            /* 6 */ asyncPoint(3, .recordingEnded),
        ], interruptedBy: TraceHeader.endedByTimeout)
        XCTAssertEqual(spans(model, lane: 0), ["0-2 running", "3-6 blocked futex(0x7f00, FUTEX_WAIT, 2, NULL, NULL, 0)"])
        XCTAssertEqual(spans(model, lane: 1), ["2-3 runnable", "4-6 blocked futex(0x6000, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0)"])
        XCTAssertEqual(spans(model, lane: 2), ["3-4 runnable", "5-6 running"])
        XCTAssertEqual(Set(model.spans.filter { $0.kind == .blocked }.map(\.detail)),
                       ["still waiting when --timeout ended the recording"])
        XCTAssertEqual(marks(model, lane: 2), ["2 created by thread 1", "6 other recording ended (timeout)"])
        XCTAssertEqual(marks(model, lane: 1), ["1 created by thread 1", "6 other recording ended (timeout)"],
                       "threads the recorder stopped in a call are marked where it ended too")
        XCTAssertEqual(model.marks.filter { $0.kind == .other }.count, 3)
    }

    func testSignalsAreMarkedWithTheirNames() {
        let model = timeline([exec(1), asyncPoint(1, .signal), signal(1, 14, .asynchronous), signal(1, 11, .synchronous)])
        XCTAssertEqual(marks(model, lane: 0), ["0 created exec server", "2 signal SIGALRM", "3 signal SIGSEGV"])
        XCTAssertEqual(model.marks[1].detail, "arrived in user code at rip=0x401000")
        XCTAssertEqual(spans(model, lane: 0), ["0-3 running"])
    }

    func testAForkedChildIsAProcessOfItsOwnAndItsExecNamesIt() {
        let model = timeline([
            /* 0 */ exec(10),
            /* 1 */ syscall(10, .clone, [Self.cloneThread], result: 11),
            /* 2 */ syscall(10, .fork, result: 20),
            /* 3 */ syscall(10, .clone, [0x1200011], result: 30),
            /* 4 */ entered(10, .wait4, [UInt64(bitPattern: -1), 0, 0, 0]),
            /* 5 */ syscall(20, .clone, [Self.cloneThread], result: 21),
            /* 6 */ syscall(20, .getpid, result: 20),
            /* 7 */ exec(20, program: "/usr/bin/sort"),
            /* 8 */ syscall(20, .exit_group, [0]),
            /* 9 */ exit(20, .exited(0)),
        ])
        XCTAssertEqual(model.lanes.map(\.processID), [10, 10, 20, 20, 30], "one process's lanes together")
        XCTAssertEqual(model.lanes.map(\.threadID), [10, 11, 20, 21, 30])
        XCTAssertEqual(model.lanes.map(\.name), ["server", "", "sort", "", "server"], "a forked child runs its parent's program")
        let child = model.lanes[2].id, sibling = model.lanes[3].id
        XCTAssertEqual(marks(model, lane: child), ["2 created forked by thread 10", "7 created exec sort", "8 exited exit_group(0)"])
        XCTAssertEqual(marks(model, lane: sibling), ["5 created by thread 20", "7 exited ended by exec in thread 20"])
        XCTAssertEqual(marks(model, lane: model.lanes[4].id), ["3 created forked by thread 10"])
        XCTAssertEqual(spans(model, lane: sibling), ["6-6 runnable"])
        // The parent's threads live on after the child's process ended.
        XCTAssertEqual(spans(model, lane: model.lanes[0].id), ["0-3 running", "4-9 blocked wait4(-1, NULL, 0, NULL)"])
    }

    func testAProcessKilledByASignalEndsAllItsThreads() {
        let model = timeline([
            exec(1), syscall(1, .clone, [Self.cloneThread], result: 2),
            /* 2 */ entered(1, .read, [0, 0x7000, 10]),
            /* 3 */ signal(2, 11, .synchronous),
            /* 4 */ exit(2, .killed(signal: 11, coreDumped: true)),
        ])
        XCTAssertEqual(marks(model, lane: 0), ["0 created exec server", "4 exited killed by SIGSEGV (core dumped)"])
        XCTAssertEqual(marks(model, lane: 1), ["1 created by thread 1", "3 signal SIGSEGV", "4 exited killed by SIGSEGV (core dumped)"])
        XCTAssertEqual(spans(model, lane: 0), ["0-1 running", "2-3 blocked read(0, 0x7000, 10)"])
        XCTAssertEqual(spans(model, lane: 1), ["2-2 runnable", "3-3 running"])
    }

    func testThreadsNobodyCreatedStillGetLanes() {
        let model = timeline([
            /* 0 */ syscall(5, .getpid, result: 5),
            /* 1 */ syscall(6, .exit, [0]),
            /* 2 */ syscall(6, .getpid, result: 5),
            /* 3 */ entered(5, .clone, [Self.cloneThread]),
            /* 4 */ syscall(7, .gettid, result: 7),
            /* 5 */ syscall(5, .clone, [Self.cloneThread], result: 7),
            /* 6 */ entered(5, .fork),
            /* 7 */ syscall(8, .getpid, result: 8),
            /* 8 */ syscall(5, .fork, result: 8),
        ])
        XCTAssertEqual(model.lanes.map(\.threadID), [5, 6, 6, 7, 8], "an id seen again after its thread exited is a new thread")
        // Threads 7 and 8 ran before the calls that created them returned: each keeps its lane,
        // its mark goes where the lane starts, and the fork child moves to a process of its own.
        XCTAssertEqual(model.lanes.map(\.processID), [5, 5, 5, 5, 8], "a thread nobody created joins the process that ran last")
        XCTAssertEqual(marks(model, lane: model.lanes[3].id), ["4 created by thread 5"])
        XCTAssertEqual(marks(model, lane: model.lanes[4].id), ["7 created forked by thread 5"])
    }

    /// Whatever the events, the model is drawable: spans of a lane never overlap, lie within
    /// the trace, and at most one thread runs at each event.
    func testRandomEventSequencesGiveConsistentSpans() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            var events = [exec(1)]
            var tids: [Int32] = [1]
            for _ in 0..<random.below(120) {
                let tid = tids[random.below(tids.count)]
                switch random.below(9) {
                case 0:
                    let child = Int32(1 + random.below(8))
                    tids.append(child)
                    events.append(syscall(tid, random.below(3) == 0 ? .fork : .clone, [Self.cloneThread], result: Int64(child)))
                case 1: events.append(entered(tid, .futex, [0x7f00, 0, 2]))
                case 2: events.append(asyncPoint(tid, [.preempted, .signal, .recordingEnded][random.below(3)]))
                case 3: events.append(syscall(tid, [Syscall.exit, .exit_group][random.below(2)]))
                case 4: events.append(exit(tid, .exited(0)))
                case 5: events.append(exec(tid))
                case 6: events.append(signal(tid, 10, .atSyscallExit))
                default: events.append(syscall(tid, .futex, [0x7f00, 0, 2]))
                }
            }
            let model = timeline(events)
            XCTAssertEqual(Set(model.lanes.map(\.id)).count, model.lanes.count)
            var runningAt = [Int](repeating: 0, count: events.count)
            for lane in model.lanes {
                let laneSpans = model.spans.filter { $0.lane == lane.id }.sorted { $0.firstEvent < $1.firstEvent }
                for (span, next) in zip(laneSpans, laneSpans.dropFirst()) {
                    XCTAssertLessThan(span.lastEvent, next.firstEvent, "\(events)")
                }
                for span in laneSpans {
                    XCTAssertTrue(0 <= span.firstEvent && span.firstEvent <= span.lastEvent && span.lastEvent < events.count)
                    if span.kind == .running {
                        for event in span.firstEvent...span.lastEvent {
                            runningAt[event] += 1
                        }
                    }
                }
            }
            XCTAssertLessThanOrEqual(runningAt.max() ?? 0, 1, "\(events)")
            XCTAssertTrue(model.marks.allSatisfy { mark in model.lanes.contains { $0.id == mark.lane } })
        }
    }
}
