/// Spaces the checkpoints taken while a probe counts a long stretch, by time rather than by
/// passes (a pass may take nanoseconds or milliseconds): about every `spacing` of running, so
/// that going back from anywhere in the stretch re-executes at most that much.
struct CheckpointPacer {
    static let spacing: Duration = .milliseconds(250)
    static let firstStep: UInt64 = 1 << 15

    /// The arrival at which the next checkpoint is due.
    private(set) var next: UInt64
    private var step: UInt64
    private var since: ContinuousClock.Instant

    init(from arrival: UInt64) {
        step = Self.firstStep
        next = arrival + step
        since = .now
    }

    /// A checkpoint was taken at `arrival`: plans the next one, adjusting the number of passes
    /// between them to what they took.
    mutating func checkpointTaken(at arrival: UInt64) {
        let now = ContinuousClock.now
        let elapsed = now - since
        since = now
        let ratio = elapsed > .zero ? Self.spacing / elapsed : 4
        let scaled = Double(step) * min(4, max(0.25, ratio))
        step = UInt64(min(max(scaled, 1), Double(1 << 40)))
        next = arrival + step
    }
}
