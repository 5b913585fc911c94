import GDBRemote

/// Inputs decoded while the program ran, waiting for the session to take them in order.
///
/// A peer controls how many inputs arrive (a megabyte of '+' is a million of them), so taking
/// the oldest must not move the rest: the queue reads forward from a head index and frees its
/// storage once drained, which keeps the work linear in the bytes received.
struct InputQueue {
    private var inputs: [DecodedInput] = []
    private var head = 0

    var isEmpty: Bool { head == inputs.count }

    mutating func append(_ input: DecodedInput) {
        inputs.append(input)
    }

    /// The oldest input, or nil when none waits.
    mutating func popFirst() -> DecodedInput? {
        guard head < inputs.count else { return nil }
        let input = inputs[head]
        head += 1
        if head == inputs.count {
            inputs.removeAll(keepingCapacity: inputs.capacity <= 1024)
            head = 0
        }
        return input
    }
}
