import Glibc

/// Writes a recording into a trace directory: the header, the event stream and archived files.
///
/// The recorder can die at any moment (SIGKILL, a crash, the machine going down), and whatever
/// it wrote until then should still replay. So the header is written as soon as the writer
/// exists (saying `complete: false`), and buffered events become a compressed frame on disk
/// whenever the buffer reaches `frameSizeLimit` or `flushInterval` has passed since the last
/// frame: a killed recorder loses at most that much. Events never span frames, and the register
/// delta encoding restarts at every frame, so every frame on disk decodes on its own.
public final class TraceWriter {
    /// Frames are cut once this many encoded bytes are buffered (about 1 MiB, per the format).
    public static let defaultFrameSizeLimit = 1 << 20
    /// Frames are also cut when this many seconds passed since the last one.
    public static let defaultFlushInterval = 0.25

    public let directory: TraceDirectory
    /// Where mapped files are archived for this trace.
    public let files: FileArchive
    /// The header as last written.
    public private(set) var header: TraceHeader
    /// Events appended so far.
    public private(set) var eventCount = 0
    /// Encoded (uncompressed) bytes of the events appended so far.
    public private(set) var uncompressedByteCount: Int64 = 0

    private let stream: LZ4FrameWriter
    private var encoder = EventCodec.Encoder()
    private let frameSizeLimit: Int
    private let flushIntervalNanoseconds: UInt64
    private var lastFlushTime: UInt64
    private var finished = false

    /// Starts a trace in `directory` (an empty trace directory, see `TraceDirectory.create`):
    /// creates `events.lz4` and writes `header` with `complete` set to false.
    public init(
        directory: TraceDirectory, header: TraceHeader,
        frameSizeLimit: Int = TraceWriter.defaultFrameSizeLimit,
        flushInterval: Double = TraceWriter.defaultFlushInterval
    ) throws {
        self.directory = directory
        files = FileArchive(directory: directory)
        self.frameSizeLimit = frameSizeLimit
        flushIntervalNanoseconds = UInt64(min(max(0, flushInterval), 1e9) * 1e9)
        var initialHeader = header
        initialHeader.complete = false
        initialHeader.eventCount = 0
        initialHeader.bytesRecorded = 0
        self.header = initialHeader
        stream = try LZ4FrameWriter(path: directory.eventsPath)
        try directory.writeHeader(initialHeader)
        lastFlushTime = TraceWriter.monotonicNanoseconds()
    }

    /// Adds an event, writing a frame if the buffer is full or the flush interval has passed.
    public func append(_ event: TraceEvent) throws {
        precondition(!finished, "TraceWriter.append called after finish")
        let sizeBefore = stream.bufferedByteCount
        stream.withBuffer { buffer in encoder.encode(event, into: &buffer) }
        eventCount += 1
        uncompressedByteCount += Int64(stream.bufferedByteCount - sizeBefore)
        if stream.bufferedByteCount >= frameSizeLimit {
            try flush()
        } else {
            try flushIfDue()
        }
    }

    /// Writes buffered events if the flush interval has passed since the last frame. The
    /// recorder calls this while the guest runs without producing events, so buffered events
    /// still reach the disk in time.
    public func flushIfDue() throws {
        if TraceWriter.monotonicNanoseconds() &- lastFlushTime >= flushIntervalNanoseconds {
            try flush()
        }
    }

    /// Writes buffered events as a frame now.
    public func flush() throws {
        lastFlushTime = TraceWriter.monotonicNanoseconds()
        guard stream.bufferedByteCount > 0 else { return }
        try stream.flushFrame()
        encoder.resetRegisterBaseline()
    }

    /// Writes the remaining events, closes the stream and rewrites the header from `header`
    /// with `complete` true and the writer's event and byte counts. `endTime` is set to now
    /// if `header` has none.
    public func finish(header: TraceHeader) throws {
        precondition(!finished, "TraceWriter.finish called twice")
        try flush()
        try stream.close()
        finished = true
        var finalHeader = header
        finalHeader.complete = true
        finalHeader.eventCount = eventCount
        finalHeader.bytesRecorded = uncompressedByteCount
        if finalHeader.endTime == nil {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            finalHeader.endTime = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        try directory.writeHeader(finalHeader)
        self.header = finalHeader
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
