import Glibc

/// Which thread waits for which through mutexes, and the cycles among them: a deadlock.
///
/// A stopped guest only shows, per thread, the mutex it is blocked on (from its futex
/// syscall) and, per mutex, its owner (from the mutex's memory). Chaining the two gives wait-for
/// edges; a cycle of edges is a set of threads none of which can ever proceed. This is pure
/// logic so it can be tested without a guest.
public struct MutexWaitGraph: Equatable, Sendable {
    /// A thread and the mutex it is blocked on, if any.
    public struct Thread: Equatable, Sendable {
        public var tid: pid_t
        public var waitsFor: UInt64?

        public init(tid: pid_t, waitsFor mutex: UInt64?) {
            self.tid = tid
            self.waitsFor = mutex
        }
    }

    /// `waiter` is blocked on `mutex`, which `owner` holds (nil: unlocked or owner unknown).
    public struct Edge: Equatable, Sendable, CustomStringConvertible {
        public var waiter: pid_t
        public var mutex: UInt64
        public var owner: pid_t?

        public init(waiter: pid_t, mutex: UInt64, owner: pid_t?) {
            self.waiter = waiter
            self.mutex = mutex
            self.owner = owner
        }

        /// `thread 2 waits for mutex 0x5555… held by thread 3`.
        public var description: String {
            "thread \(waiter) waits for mutex \(Self.hex(mutex)) " + (owner.map { "held by thread \($0)" } ?? "with no known owner")
        }

        fileprivate static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
    }

    /// One edge per waiting thread, in the order the threads were given.
    public let edges: [Edge]
    /// Every cycle once, each starting at its lowest thread id, ordered by that id. A cycle's
    /// edges follow the chain: each edge's owner is the next edge's waiter, and the last edge's
    /// owner is the first edge's waiter.
    public let cycles: [[Edge]]

    /// Builds the graph. `owner(mutex)` gives the thread holding a mutex, nil when it is
    /// unlocked or cannot be read; for a glibc guest use `GlibcMutex.owner(ofMutexAt:memory:)`.
    public init(threads: [Thread], owner: (UInt64) -> pid_t?) {
        edges = threads.compactMap { thread in
            thread.waitsFor.map { Edge(waiter: thread.tid, mutex: $0, owner: owner($0)) }
        }
        cycles = Self.findCycles(edges)
    }

    /// Each thread waits for at most one mutex, so every thread has at most one outgoing edge
    /// and following them from any thread either ends or enters exactly one cycle.
    private static func findCycles(_ edges: [Edge]) -> [[Edge]] {
        let outgoing = Dictionary(edges.map { ($0.waiter, $0) }, uniquingKeysWith: { first, _ in first })
        var finished = Set<pid_t>()
        var cycles: [[Edge]] = []
        for start in edges.map(\.waiter) where !finished.contains(start) {
            var path: [Edge] = []
            var positionInPath: [pid_t: Int] = [:]
            var current = start
            var cycleStart: Int?
            while !finished.contains(current), let edge = outgoing[current] {
                if let seen = positionInPath[current] {
                    cycleStart = seen
                    break
                }
                positionInPath[current] = path.count
                path.append(edge)
                guard let next = edge.owner else { break }
                current = next
            }
            if let cycleStart {
                let cycle = Array(path[cycleStart...])
                let lowest = cycle.indices.min { cycle[$0].waiter < cycle[$1].waiter }!
                cycles.append(Array(cycle[lowest...] + cycle[..<lowest]))
            }
            finished.formUnion(path.map(\.waiter))
        }
        return cycles.sorted { $0[0].waiter < $1[0].waiter }
    }

    /// One line for a cycle: `thread 2 waits for mutex 0x5555… held by thread 3, which waits for
    /// mutex 0x5555… held by thread 2`.
    public static func describe(_ cycle: [Edge]) -> String {
        guard let first = cycle.first else { return "" }
        let rest = cycle.dropFirst().map { edge in
            "which waits for mutex \(Edge.hex(edge.mutex)) held by thread \(edge.owner.map(String.init) ?? "?")"
        }
        return ([first.description] + rest).joined(separator: ", ")
    }
}
