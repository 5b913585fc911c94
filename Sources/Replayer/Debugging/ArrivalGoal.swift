/// What a run of the replay is looking for in one stretch: arrivals at `address`, counted,
/// until arrival `target`, or until the thread is in `state`; or just the number of arrivals
/// before the stretch ends.
///
/// A probe counts the arrivals in the guest when one can be placed at the address; otherwise an
/// int3 marker does, at one trap per arrival.
final class ArrivalGoal {
    let address: UInt64
    /// `ReplayEngine.progress` of the stretch.
    let interval: Int
    let target: UInt64?
    let state: SoughtState?
    /// Arrivals counted so far (kept up to date at every stop when a probe counts).
    var count: UInt64
    /// True when the run starts with the thread at `address` on an arrival already in `count`
    /// (a checkpoint at an anchor), which must not be counted again.
    let startsAtCountedArrival: Bool
    /// The arrival where the goal was met.
    var found: UInt64?
    /// Arrivals on the way where a checkpoint is wanted (when a probe counts).
    var checkpointsAt: [UInt64] = []
    /// Whether a probe counts (else an int3 marker at `address`), once the goal has been
    /// placed in the guest at the start of its stretch.
    var probed = false
    var placed = false

    init(
        address: UInt64, interval: Int, from count: UInt64 = 0, startsAtCountedArrival: Bool = false,
        target: UInt64? = nil, state: SoughtState? = nil
    ) {
        self.address = address
        self.interval = interval
        self.count = count
        self.startsAtCountedArrival = startsAtCountedArrival
        self.target = target
        self.state = state
    }
}
