import Glibc
import Guest
import Trace

/// What ended a recording while the program was still running.
enum RecordingEnd {
    case timeout(Double)
    case interrupted

    var description: String {
        switch self {
        case .timeout(let seconds): return "--timeout \(Self.format(seconds)) s"
        case .interrupted: return "an interrupt (Ctrl-C or SIGINT/SIGTERM/SIGHUP)"
        }
    }

    /// The value of `TraceHeader.interruptedBy`.
    var headerValue: String {
        switch self {
        case .timeout: return TraceHeader.endedByTimeout
        case .interrupted: return TraceHeader.endedByInterrupt
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

extension Recorder {
    /// Stops every thread where it is, records the final state of those that ran since their
    /// last event, completes the trace and kills the guest.
    ///
    /// Threads blocked in the kernel already have their syscall entry in the trace, so replay
    /// ends with them inside that call (a deadlock replays as threads blocked in their lock
    /// calls). The thread that was running user code gets an async point.
    func endRecording(_ reason: RecordingEnd) throws -> RecordingSummary {
        if let running = current, running.parked == nil, case .running = running.state {
            try GuestProcess.signal(running.tid, of: running.pid, SIGSTOP)
            let deadline = Self.now() + 1
            while running.parked == nil && threads[running.tid] != nil && Self.now() < deadline {
                if let summary = try collect(timeout: 0.05) { return summary }
            }
        }
        for thread in threads.threads.values.sorted(by: { $0.tid < $1.tid }) {
            guard case .stopped = thread.state, let stopped = thread.parked.take() else { continue }
            switch stopped.stop {
            case .seccomp where thread.announcedEntry == nil:
                try announce(try stopped.registers(), of: thread)
            case .signal:
                try writer.append(.asyncPoint(try asyncPoint(of: stopped, reason: .recordingEnded)))
            default:
                break
            }
            thread.parked = consume stopped
        }
        header.interruptedBy = reason.headerValue
        header.endReason = "stopped by \(reason.description) while the program was running"
        try writer.finish(header: completedHeader(status: nil))
        process.killAndReap()
        return RecordingSummary(
            traceDirectory: trace.path, shellStatus: TraceHeader.shellStatus(endedBy: reason.headerValue),
            eventCount: writer.eventCount, warnings: warnings.messages, interruptedBy: reason.description)
    }
}
