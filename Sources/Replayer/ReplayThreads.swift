import Glibc
import Guest

/// One recorded thread in the replaying guest.
///
/// Replay runs threads one at a time in the recorded order: only the thread of the next event
/// runs, and every other thread waits parked in a ptrace stop. A thread's id in the replay
/// differs from the recorded one; the program only ever sees the recorded id.
final class ReplayThread {
    let recordedTid: Int32
    let realTid: pid_t
    /// The recorded id of its process.
    let pid: Int32
    /// Its process in the replay, for waiting on the thread when it is not parked.
    let process: GuestProcess
    /// The thread when it waits for its turn; nil while it runs, or while a caller holds it.
    var parked: StoppedThread?
    /// A signal to deliver when the parked thread resumes.
    var pendingSignal: Int32 = 0
    /// Parked at the seccomp stop of a syscall whose entry was recorded; its syscall event
    /// applies right there.
    var atAnnouncedEntry = false
    /// The version of the observer's debug registers (`DebugRegisterAssignment`) this thread
    /// has; they are per thread.
    var debugRegistersVersion = 0

    init(recordedTid: Int32, realTid: pid_t, pid: Int32, process: GuestProcess) {
        self.recordedTid = recordedTid
        self.realTid = realTid
        self.pid = pid
        self.process = process
    }
}

/// The live threads of a replay, by recorded and by real id.
final class ReplayThreads {
    private(set) var byRecorded: [Int32: ReplayThread] = [:]
    private var recordedByReal: [pid_t: Int32] = [:]
    /// The process of every thread there has been, by recorded id.
    private(set) var processOf: [Int32: Int32] = [:]
    /// Recorded ids in the order the threads appeared.
    private var creationOrder: [Int32] = []
    /// The recorded id of the thread group leader (the process id).
    private(set) var leader: Int32 = 0

    var count: Int { byRecorded.count }

    func setLeader(_ recordedTid: Int32) { leader = recordedTid }

    @discardableResult
    func add(recordedTid: Int32, realTid: pid_t, pid: Int32, process: GuestProcess) -> ReplayThread {
        let thread = ReplayThread(recordedTid: recordedTid, realTid: realTid, pid: pid, process: process)
        byRecorded[recordedTid] = thread
        recordedByReal[realTid] = recordedTid
        creationOrder.append(recordedTid)
        processOf[recordedTid] = pid
        return thread
    }

    /// Records that thread `recordedTid` belongs to process `pid`, for a thread the replay
    /// skipped (it ended before the checkpoint the replay resumed from).
    func noteProcess(of recordedTid: Int32, pid: Int32) {
        if processOf[recordedTid] == nil { processOf[recordedTid] = pid }
    }

    func remove(recordedTid: Int32) {
        guard let thread = byRecorded.removeValue(forKey: recordedTid) else { return }
        recordedByReal[thread.realTid] = nil
        creationOrder.removeAll { $0 == recordedTid }
    }

    subscript(recorded tid: Int32) -> ReplayThread? { byRecorded[tid] }

    func recordedTid(ofReal tid: pid_t) -> Int32? { recordedByReal[tid] }

    /// Threads in the order they were created.
    var all: [ReplayThread] { creationOrder.compactMap { byRecorded[$0] } }
}
