import Guest

/// A stopped copy of the guest at a place, taken with fork: the memory is shared copy-on-write
/// with the guest it was copied from, so a checkpoint costs the pages that change afterwards.
final class Checkpoint {
    /// Events applied when the copy was taken.
    let eventIndex: Int
    /// Its place, when it was taken at one (reverse-continue's stops are known by state only).
    let place: Place?
    let pendingSignal: Int32
    var thread: StoppedThread?
    var lastUse = 0

    init(eventIndex: Int, place: Place?, pendingSignal: Int32, thread: consuming StoppedThread) {
        self.eventIndex = eventIndex
        self.place = place
        self.pendingSignal = pendingSignal
        self.thread = consume thread
    }

    deinit {
        thread?.process.killAndReap()
    }
}

/// The checkpoints of one debugging session, at most `limit` of them: the least recently used
/// go first, which bounds the memory reverse execution holds.
final class CheckpointStore {
    private var byPlace: [Place: Checkpoint] = [:]

    private let limit: Int
    private var clock = 0

    init(limit: Int) {
        self.limit = limit
    }

    func contains(_ place: Place) -> Bool { byPlace[place] != nil }

    /// The checkpoint from which `place` is reached by running the least.
    func latest(atOrBefore place: Place) -> Checkpoint? {
        clock += 1
        let found = byPlace.filter { $0.key.canReach(place) }.max { $0.key.progress(toward: place) < $1.key.progress(toward: place) }?.value
        found?.lastUse = clock
        return found
    }

    var count: Int { byPlace.count }

    func add(_ checkpoint: Checkpoint, at place: Place) {
        clock += 1
        checkpoint.lastUse = clock
        byPlace[place] = checkpoint
        while byPlace.count > limit, let oldest = byPlace.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            byPlace[oldest.key] = nil
        }
    }
}
