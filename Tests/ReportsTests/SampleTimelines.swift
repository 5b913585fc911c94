import Reports
import SeededRandom

/// Synthetic timelines shaped like real traces, for the renderer's tests.
///
/// A tiny scheduler simulation runs one thread at a time, as rrdbg's guest kernel does: the
/// running thread spends events, now and then blocks in a system call or is preempted, and blocked
/// threads wake up later and wait for the CPU. Every choice comes from a seeded generator, so a
/// failing test sees the same model every time.
enum SampleTimelines {
    /// A process with a main thread and three workers, one of which exits early; about 2,400
    /// events.
    static func fourThreads() -> TimelineModel {
        simulate(
            title: "demo-4-threads", commandLine: ["./demo", "--workers", "3", "--input", "data set.txt"],
            threads: [(4100, "main"), (4101, "worker-1"), (4102, "worker-2"), (4103, "io")],
            eventCount: 2400, blockOneIn: 30, longestBlock: 150, seed: 7)
    }

    /// `threads` threads over `eventCount` events, split across processes of eight threads.
    static func big(threads: Int, eventCount: Int) -> TimelineModel {
        simulate(
            title: "big", commandLine: ["./server", "--threads", String(threads)],
            threads: (0..<threads).map { (Int32(20_000 + $0), $0 == 0 ? "main" : "worker-\($0)") },
            eventCount: eventCount, blockOneIn: 9, longestBlock: 400, seed: 11)
    }

    private static let syscalls = [
        "futex(WAIT, 0x7f3a2c0012a0)", "read(3, 0x5581f2a0, 4096)", "nanosleep({0, 5000000})",
        "poll([{fd=4, POLLIN}], 1, -1)", "futex(WAIT, 0x7f3a2c0013f8)", "epoll_wait(5, 0x7ffd9e10, 64, 100)",
    ]

    private struct Thread {
        var lane: Int
        var state = TimelineSpan.Kind.runnable
        var since = 0
        var wakeAt = 0
        var label = ""
        var alive = true
    }

    private static func simulate(
        title: String, commandLine: [String], threads named: [(tid: Int32, name: String)], eventCount: Int,
        blockOneIn: Int, longestBlock: Int, seed: UInt64
    ) -> TimelineModel {
        var random = SeededGenerator(seed: seed)
        let lanes = named.enumerated().map { index, thread in
            TimelineLane(id: index, name: thread.name, processID: named[index / 8 * 8].tid, threadID: thread.tid)
        }
        var spans: [TimelineSpan] = []
        var marks: [TimelineMark] = []
        // The main thread of each process starts at once; the others are created over the first tenth.
        let startAt = named.indices.map { $0 % 8 == 0 ? 0 : 1 + $0 * eventCount / (10 * named.count) }
        let exitAt = named.indices.map { $0 == named.count - 1 && $0 > 0 ? eventCount * 3 / 4 : eventCount }
        var states: [Thread?] = Array(repeating: nil, count: named.count)
        var running: Int?
        var sliceLeft = 0
        func finish(_ index: Int, at event: Int) {
            let thread = states[index]!
            if event > thread.since {
                let detail = thread.state == .blocked ? "entered at event \(thread.since); woken at event \(event)" : ""
                spans.append(TimelineSpan(
                    lane: index, firstEvent: thread.since, lastEvent: event - 1, kind: thread.state, label: thread.label,
                    detail: detail))
            }
        }
        func switchState(_ index: Int, to state: TimelineSpan.Kind, at event: Int, label: String = "") {
            finish(index, at: event)
            states[index]!.state = state
            states[index]!.since = event
            states[index]!.label = label
        }
        for event in 0..<eventCount {
            for index in named.indices {
                if startAt[index] == event {
                    states[index] = Thread(lane: index, since: event)
                    marks.append(TimelineMark(
                        lane: index, event: event, kind: .created, label: index % 8 == 0 ? "execve" : "clone",
                        detail: "tid \(named[index].tid)"))
                }
                guard let thread = states[index], thread.alive else {
                    continue
                }
                if exitAt[index] == event {
                    switchState(index, to: .runnable, at: event)
                    states[index]!.alive = false
                    marks.append(TimelineMark(lane: index, event: event, kind: .exited, label: "exit(0)"))
                    if running == index {
                        running = nil
                    }
                } else if thread.state == .blocked, thread.wakeAt <= event {
                    switchState(index, to: .runnable, at: event)
                }
            }
            if running == nil {
                let candidates = named.indices.filter { states[$0]?.alive == true && states[$0]!.state == .runnable }
                if !candidates.isEmpty {
                    let chosen = candidates[random.below(candidates.count)]
                    switchState(chosen, to: .running, at: event)
                    running = chosen
                    sliceLeft = 5 + random.below(60)
                }
            }
            guard let current = running else {
                continue
            }
            sliceLeft -= 1
            if random.chance(1, in: 97) {
                marks.append(TimelineMark(
                    lane: current, event: event, kind: .signal, label: "SIGUSR1", detail: "si_code SI_USER from pid 1"))
            }
            if random.chance(1, in: blockOneIn) {
                let label = syscalls[random.below(syscalls.count)]
                switchState(current, to: .blocked, at: event + 1, label: label)
                states[current]!.wakeAt = event + 2 + random.below(longestBlock)
                running = nil
            } else if sliceLeft <= 0 {
                switchState(current, to: .runnable, at: event + 1)
                marks.append(TimelineMark(lane: current, event: event, kind: .preempted, label: "time slice used up"))
                running = nil
            }
        }
        for index in named.indices where states[index]?.alive == true {
            finish(index, at: eventCount)
        }
        return TimelineModel(
            title: title, commandLine: commandLine, eventCount: eventCount, lanes: lanes, spans: spans, marks: marks)
    }
}
