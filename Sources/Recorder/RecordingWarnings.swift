import Glibc

/// Collects warnings about things the recording may not reproduce, printing each distinct one
/// once as it happens so the user sees it next to the program's own output.
final class RecordingWarnings {
    private(set) var messages: [String] = []
    private var seen: Set<String> = []

    /// True when some event's effects were not fully captured.
    private(set) var possiblyUnreplayable = false

    func add(_ message: String, affectsReplay: Bool) {
        if affectsReplay { possiblyUnreplayable = true }
        guard seen.insert(message).inserted else { return }
        messages.append(message)
        let line = "rrdbg: warning: \(message)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}
