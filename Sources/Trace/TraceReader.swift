/// Reads a trace directory: its header, then its events one at a time.
///
/// Events are decoded lazily, frame by frame, so replaying a multi-gigabyte trace needs memory
/// for one frame, not the whole stream. A trace whose recorder was killed ends in a truncated
/// frame: the reader returns every event of the complete frames, then reports the end and sets
/// `isTruncated`, so replay can go as far as the recording got. Damage anywhere else is an
/// error that names the file, the frame and the event.
public final class TraceReader {
    public let directory: TraceDirectory
    /// The validated header.
    public let header: TraceHeader

    private let stream: LZ4FrameReader
    private var decoder = EventCodec.Decoder()
    private var frame: [UInt8] = []
    private var offsetInFrame = 0
    private var eventsRead = 0
    private var failure: TraceError?

    /// Opens the trace in `directory`, reading and validating its header.
    public init(directory: TraceDirectory) throws {
        self.directory = directory
        header = try directory.readHeader()
        stream = try LZ4FrameReader(path: directory.eventsPath)
    }

    /// Opens the trace directory at `path`.
    public convenience init(path: String) throws {
        try self.init(directory: try TraceDirectory.open(at: path))
    }

    /// True once the end was reached and the last frame had been cut off (the recorder died
    /// while writing it). Events up to the last complete frame were all returned.
    public var isTruncated: Bool { stream.isTruncated }

    /// The index of the last event `next()` returned, or nil before the first one.
    public var lastEventIndex: Int? { eventsRead > 0 ? eventsRead - 1 : nil }

    /// The next event, or nil at the end of the stream. After an error every further call
    /// throws the same error.
    public func next() throws -> TraceEvent? {
        if let failure { throw failure }
        do {
            while offsetInFrame >= frame.count {
                guard let nextFrame = try stream.nextFrame() else { return nil }
                frame = nextFrame
                offsetInFrame = 0
                decoder.resetRegisterBaseline()
            }
            let event: TraceEvent
            do {
                event = try decoder.decode(frame, at: &offsetInFrame)
            } catch let error as TraceError {
                let reason: String
                if case .malformedEvent(let detail) = error {
                    reason = detail
                } else {
                    reason = error.description
                }
                throw TraceError.corruptEvent(
                    file: stream.fileName, eventIndex: eventsRead, frame: stream.framesRead - 1, reason: reason)
            }
            eventsRead += 1
            return event
        } catch let error as TraceError {
            failure = error
            throw error
        }
    }

    /// Reads all remaining events. Convenient for tools and tests; replay should use `next()`.
    public func readAll() throws -> [TraceEvent] {
        var events: [TraceEvent] = []
        while let event = try next() {
            events.append(event)
        }
        return events
    }

    /// The path of the archived copy of the file with content hash `hash`.
    public func path(forFile hash: String) throws -> String {
        try directory.path(forFile: hash)
    }
}
