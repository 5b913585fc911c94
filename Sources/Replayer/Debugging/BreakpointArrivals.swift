/// How many times execution arrived at each of the debugger's breakpoints in the current
/// stretch, counted while the replay runs it from its start.
///
/// A breakpoint stop then has an exact place (the N-th arrival at its address after the
/// stretch's event), so reverse execution reaches it again by counting arrivals rather than by
/// recognising its state: recognising is fragile where the kernel wrote something that
/// depends on the debugger's own traps (the trap number in a signal frame).
struct BreakpointArrivals {
    /// The stretch (`ReplayEngine.progress`) the counts are for.
    private var stretch: Int?
    /// False while the replay runs a stretch it did not start at the beginning of.
    private var valid = false
    private var counts: [UInt64: UInt64] = [:]

    /// The replay is now at `progress`, at the start of its stretch or somewhere inside it.
    mutating func resume(at progress: Int, fromStretchStart: Bool) {
        stretch = progress
        valid = fromStretchStart
        counts = [:]
    }

    /// Counts an arrival at `address` with the replay at `progress`, and returns it, when the
    /// replay ran the stretch from its start. A stretch entered by running is run from its start.
    mutating func arrived(at address: UInt64, progress: Int) -> Anchor? {
        if progress != stretch { resume(at: progress, fromStretchStart: true) }
        guard valid else { return nil }
        counts[address, default: 0] += 1
        return Anchor(address: address, arrival: counts[address, default: 0])
    }
}
