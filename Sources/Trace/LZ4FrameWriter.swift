import CLZ4
import Glibc

/// Writes a stream file as a sequence of independent LZ4 frames.
///
/// Each frame carries its content size and both block and content checksums, so the standard
/// `lz4 -d` tool can decompress the file, and a file cut off by a crash (or by SIGKILL of the
/// recorder) is readable up to its last complete frame. Bytes are collected in memory with
/// `append` and become one frame on `flushFrame`; the caller decides where frames end, which
/// lets it keep records from spanning frames.
///
/// A frame is either written completely or not at all: if a write fails part way (a full disk,
/// say), the file is cut back to the end of the previous frame and the buffered bytes are kept,
/// so the file never holds a torn frame followed by good ones and the flush can be retried.
public final class LZ4FrameWriter {
    /// The path of the stream file, for error messages.
    public let path: String
    /// Frames written so far.
    public private(set) var framesWritten = 0
    /// Uncompressed bytes in the frames written so far.
    public private(set) var uncompressedBytesWritten: Int64 = 0
    /// Size of the file: the compressed bytes of the frames written so far.
    public private(set) var compressedBytesWritten: Int64 = 0

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var compressed: [UInt8] = []

    /// Creates `path`, which must not exist yet, with mode 0600.
    public init(path: String) throws {
        self.path = path
        descriptor = try POSIXFile.createExclusive(path, mode: 0o600)
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Bytes appended since the last frame was written.
    public var bufferedByteCount: Int { buffer.count }

    /// Adds bytes to the frame being built.
    public func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Gives direct access to the frame being built, so an encoder can write into it in place.
    public func withBuffer<Result>(_ body: (inout [UInt8]) throws -> Result) rethrows -> Result {
        try body(&buffer)
    }

    /// Compresses the buffered bytes as one frame and writes it completely. Does nothing when
    /// nothing is buffered. On failure the file still ends at the previous frame boundary and
    /// the buffered bytes are kept.
    public func flushFrame() throws {
        guard !buffer.isEmpty else { return }
        precondition(descriptor >= 0, "LZ4FrameWriter used after close()")
        let frameSize = try compressBuffer()
        do {
            try compressed.withUnsafeBytes { raw in
                try POSIXFile.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: raw[..<frameSize]), path: path)
            }
        } catch {
            discardPartialFrame()
            throw error
        }
        framesWritten += 1
        uncompressedBytesWritten += Int64(buffer.count)
        compressedBytesWritten += Int64(frameSize)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes any buffered bytes and closes the file.
    public func close() throws {
        guard descriptor >= 0 else { return }
        try flushFrame()
        let closing = descriptor
        descriptor = -1
        try POSIXFile.close(closing, path: path)
    }

    /// Compresses `buffer` into `compressed` and returns the frame's size.
    private func compressBuffer() throws -> Int {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        preferences.frameInfo.contentSize = UInt64(buffer.count)
        let bound = LZ4F_compressFrameBound(buffer.count, &preferences)
        if compressed.count < bound {
            compressed = [UInt8](repeating: 0, count: bound)
        }
        let result = buffer.withUnsafeBytes { source in
            compressed.withUnsafeMutableBytes { destination in
                LZ4F_compressFrame(
                    destination.baseAddress, destination.count, source.baseAddress, source.count,
                    &preferences)
            }
        }
        if LZ4F_isError(result) != 0 {
            throw TraceError.compressionFailed(reason: String(cString: LZ4F_getErrorName(result)))
        }
        return result
    }

    /// Cuts the file back to the end of the last complete frame after a failed write.
    private func discardPartialFrame() {
        _ = ftruncate(descriptor, off_t(compressedBytesWritten))
        _ = lseek(descriptor, off_t(compressedBytesWritten), SEEK_SET)
    }
}
