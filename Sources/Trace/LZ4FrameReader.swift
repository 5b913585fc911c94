import CLZ4
import Glibc

/// Reads a stream file written by `LZ4FrameWriter`, one complete frame at a time.
///
/// A frame is handed out only after liblz4 has verified its block and content checksums, so a
/// caller never sees bytes from a damaged frame. The reader tells apart the three ways a stream
/// can end, because they mean different things to the user:
/// - a clean end after a complete frame;
/// - a truncated final frame (the recorder was killed mid-write): `nextFrame` returns nil and
///   `isTruncated` becomes true, and every frame before it was already returned;
/// - corrupt data: `nextFrame` throws `TraceError.corruptStream` with the byte offset.
///
/// Arbitrary input never crashes or hangs the reader, and a frame's decompressed size is capped
/// so that garbage cannot make it allocate without bound.
public final class LZ4FrameReader {
    /// The largest decompressed frame accepted by default. Writers produce frames of about
    /// 1 MiB, plus single records that are bigger; anything beyond this is treated as damage.
    public static let defaultMaximumFrameSize = 1 << 30

    /// The path of the stream file.
    public let path: String
    /// The file's name, used in error messages.
    public let fileName: String
    /// Frames returned so far; also the index of the frame being read next.
    public private(set) var framesRead = 0
    /// True once the reader reached the end of the file in the middle of a frame.
    public private(set) var isTruncated = false
    /// File offset just past the last complete frame returned.
    public private(set) var completeFramesEndOffset: Int64 = 0

    private let maximumFrameSize: Int
    private var descriptor: Int32
    private let context: OpaquePointer
    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    private var chunkFileOffset: Int64 = 0
    private var finished = false
    private var failure: TraceError?

    /// Opens `path` for reading. `chunkSize` is how much of the file is read per system call.
    public init(
        path: String, maximumFrameSize: Int = LZ4FrameReader.defaultMaximumFrameSize,
        chunkSize: Int = 4 << 20
    ) throws {
        self.path = path
        fileName = POSIXFile.baseName(of: path)
        self.maximumFrameSize = max(1, maximumFrameSize)
        var newContext: OpaquePointer?
        let result = LZ4F_createDecompressionContext(&newContext, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(result) == 0, let createdContext = newContext else {
            throw TraceError.compressionFailed(reason: "cannot create an LZ4 decompression context")
        }
        context = createdContext
        do {
            descriptor = try POSIXFile.openRegularFile(path)
        } catch {
            LZ4F_freeDecompressionContext(createdContext)
            throw error
        }
        // A small file needs no 4 MiB buffer; a file that grows later is just read in more pieces.
        var info = stat()
        let fileSize = fstat(descriptor, &info) == 0 ? Int(info.st_size) : chunkSize
        chunk = [UInt8](repeating: 0, count: max(1, min(chunkSize, max(fileSize, 4096))))
    }

    deinit {
        LZ4F_freeDecompressionContext(context)
        Glibc.close(descriptor)
    }

    /// The next complete frame's decompressed bytes, or nil at the end of the stream (check
    /// `isTruncated` to learn whether the end cut a frame short). After an error every further
    /// call throws the same error.
    public func nextFrame() throws -> [UInt8]? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            return try decodeFrame()
        } catch let error as TraceError {
            failure = error
            throw error
        }
    }

    /// Runs the decoder until it reports the end of a frame, the file ends, or the data is bad.
    private func decodeFrame() throws -> [UInt8]? {
        let growthLimit = maximumFrameSize == Int.max ? Int.max : maximumFrameSize + 1
        var frame = [UInt8](repeating: 0, count: min(16 << 10, growthLimit))
        var produced = 0
        var consumedInFrame = 0
        var inputHint = Int(LZ4F_HEADER_SIZE_MAX)
        while true {
            if chunkStart == chunkEnd {
                if try !refillChunk() {
                    finished = true
                    if consumedInFrame > 0 { isTruncated = true }
                    return nil
                }
            }
            if produced == frame.count {
                let grown = frame.count > growthLimit / 2 ? growthLimit : frame.count * 2
                var larger = [UInt8](repeating: 0, count: grown)
                larger.withUnsafeMutableBytes { destination in
                    frame.withUnsafeBytes { source in destination.copyMemory(from: source) }
                }
                frame = larger
            }
            let inputOffset = chunkFileOffset + Int64(chunkStart)
            var inputSize = min(chunkEnd - chunkStart, max(inputHint, 1))
            var outputSize = frame.count - produced
            let result = chunk.withUnsafeBytes { input in
                frame.withUnsafeMutableBytes { output in
                    LZ4F_decompress(
                        context, output.baseAddress.map { $0 + produced }, &outputSize,
                        input.baseAddress.map { $0 + chunkStart }, &inputSize, nil)
                }
            }
            if LZ4F_isError(result) != 0 {
                throw TraceError.corruptStream(
                    file: fileName, offset: inputOffset, frame: framesRead,
                    reason: Self.explain(String(cString: LZ4F_getErrorName(result))))
            }
            chunkStart += inputSize
            consumedInFrame += inputSize
            produced += outputSize
            if produced > maximumFrameSize {
                throw TraceError.corruptStream(
                    file: fileName, offset: inputOffset, frame: framesRead,
                    reason: "frame decompresses to more than \(maximumFrameSize) bytes")
            }
            if result == 0 {
                framesRead += 1
                completeFramesEndOffset = chunkFileOffset + Int64(chunkStart)
                frame.removeLast(frame.count - produced)
                return frame
            }
            if inputSize == 0 && outputSize == 0 && produced < frame.count {
                throw TraceError.corruptStream(
                    file: fileName, offset: inputOffset, frame: framesRead,
                    reason: "the LZ4 decoder made no progress")
            }
            inputHint = result
        }
    }

    /// Reads the next chunk of the file. Returns false at the end of the file.
    private func refillChunk() throws -> Bool {
        chunkFileOffset += Int64(chunkEnd)
        chunkStart = 0
        chunkEnd = 0
        let count = try chunk.withUnsafeMutableBytes { raw in
            try POSIXFile.read(descriptor, into: raw, path: path)
        }
        chunkEnd = count
        return count > 0
    }

    /// Turns liblz4's error names into words a user can act on.
    private static func explain(_ errorName: String) -> String {
        let explanations = [
            "ERROR_contentChecksum_invalid": "content checksum mismatch",
            "ERROR_blockChecksum_invalid": "block checksum mismatch",
            "ERROR_headerChecksum_invalid": "frame header checksum mismatch",
            "ERROR_frameType_unknown": "not an LZ4 frame (unknown magic number)",
            "ERROR_frameSize_wrong": "frame size does not match its header",
            "ERROR_decompressionFailed": "invalid compressed block",
            "ERROR_maxBlockSize_invalid": "invalid block size in frame header",
            "ERROR_headerVersion_wrong": "unsupported LZ4 frame version",
            "ERROR_reservedFlag_set": "reserved flag set in frame header",
            "ERROR_frameHeader_incomplete": "incomplete frame header",
        ]
        return explanations[errorName] ?? errorName
    }
}
