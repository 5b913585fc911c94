/// The `arrival`-th time execution arrives at `address` (counting from 1) in the stretch after
/// an event: how rrdbg names a point inside a loop without a branch counter. Probes count the
/// arrivals in the guest, so reaching one runs at close to native speed.
struct Anchor: Hashable, CustomStringConvertible {
    var address: UInt64
    var arrival: UInt64

    var description: String { "arrival \(arrival) at 0x\(String(address, radix: 16))" }
}

/// A point of a replay reached by re-execution: from the pause after event `eventIndex`
/// (`ReplayEngine.progress`), run to `anchor` if there is one, then `steps` single steps.
/// Replay is deterministic, so a place always names the same state.
struct Place: Hashable, CustomStringConvertible {
    var eventIndex: Int
    var anchor: Anchor?
    var steps: Int

    init(eventIndex: Int, anchor: Anchor? = nil, steps: Int = 0) {
        self.eventIndex = eventIndex
        self.anchor = anchor
        self.steps = steps
    }

    var next: Place { Place(eventIndex: eventIndex, anchor: anchor, steps: steps + 1) }

    var description: String {
        "after event \(eventIndex)" + (anchor.map { ", \($0)" } ?? "") + (steps > 0 ? ", \(steps) steps on" : "")
    }

    /// Whether a guest at this place gets to `later` by running forward. Places in one stretch
    /// are only ordered along one anchor address (or from the stretch's start): arrivals at two
    /// different addresses say nothing about which came first.
    func canReach(_ later: Place) -> Bool {
        guard eventIndex == later.eventIndex else { return eventIndex < later.eventIndex }
        guard let anchor else { return steps == 0 || later.anchor == nil && steps <= later.steps }
        guard let target = later.anchor, target.address == anchor.address else { return false }
        return (anchor.arrival, steps) <= (target.arrival, later.steps)
    }

    /// How far along towards `target` this place is, for picking the nearest of the places
    /// that `canReach` it.
    func progress(toward target: Place) -> (Int, UInt64, Int) {
        let arrival = anchor.map { target.anchor?.address == $0.address ? $0.arrival : 0 } ?? 0
        return (eventIndex, arrival, steps)
    }
}
