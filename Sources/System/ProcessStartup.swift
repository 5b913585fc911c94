import CGuestShim
import Glibc

/// What rrdbg does before anything else, so that a hostile environment can neither kill it nor
/// misdirect its files, and what it keeps of what it inherited, for the programs it starts.
///
/// - A standard descriptor (0, 1 or 2) that was closed gets `/dev/null`. Otherwise the next file
///   rrdbg opens (a trace file) would take its number, and messages for the user would be
///   written into the trace; and a message written to a closed stderr fails.
/// - SIGXFSZ is ignored, so that a write beyond `ulimit -f` fails with `EFBIG`, which is
///   reported like any other failed write, temporary files removed, instead of killing rrdbg
///   without a word.
///
/// The recorded program must still start as it would have without rrdbg: with those
/// descriptors closed and with the signal dispositions rrdbg inherited. That is why both are
/// noted before they are changed.
public enum ProcessStartup {
    /// The signals rrdbg's parent left ignored (bit N-1 for signal N), as they were before
    /// `prepare()`.
    public static let inheritedIgnoredSignals: UInt64 = rrdbg_ignored_signals()

    /// The standard descriptors that were closed when rrdbg started (before `prepare()`).
    public static let closedStandardDescriptors: Set<Int32> = Set((0...2).filter { isClosed($0) })

    /// Notes what rrdbg inherited, then gives closed standard descriptors `/dev/null` and
    /// ignores SIGXFSZ. Called first thing, before any file is opened.
    public static func prepare() {
        _ = inheritedIgnoredSignals
        for descriptor in closedStandardDescriptors.sorted() {
            // open returns the lowest free number, which is this one; anything else is closed again.
            let opened = Glibc.open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != descriptor { Glibc.close(opened) }
        }
        signal(SIGXFSZ, SIG_IGN)
    }

    private static func isClosed(_ descriptor: Int32) -> Bool {
        fcntl(descriptor, F_GETFD) == -1 && errno == EBADF
    }
}
