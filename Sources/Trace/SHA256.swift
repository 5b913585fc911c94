import CCrypto

/// SHA-256 (FIPS 180-4), used to name archived files by their content.
///
/// Content addressing lets a trace store each executable and library once however often it is
/// mapped, and lets replay check it is mapping the exact bytes that were recorded. Every archived
/// file is hashed when it is recorded, packed and unpacked, tens of MiB for a small Python
/// program, so libcrypto computes it with its CPU-specific code. Feed data with `update` in
/// pieces of any size, then call `finalize` once.
///
/// It is a value: a copy taken part-way hashes on independently of the original. libcrypto's
/// context is shared between copies only until one changes it, and only a sole owner changes
/// it, which is why the type can be `Sendable`.
public struct SHA256: @unchecked Sendable {
    /// The digest length in bytes.
    public static let digestByteCount = 32

    /// Shared between copies until one of them changes.
    private var context = DigestContext()

    public init() {}

    /// Adds bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        makeContextUnique()
        context.check(EVP_DigestUpdate(context.pointer, bytes.baseAddress, bytes.count), "EVP_DigestUpdate")
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Pads the message and returns its 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        makeContextUnique()
        var digest = [UInt8](repeating: 0, count: SHA256.digestByteCount)
        var length: UInt32 = 0
        context.check(EVP_DigestFinal_ex(context.pointer, &digest, &length), "EVP_DigestFinal_ex")
        precondition(length == SHA256.digestByteCount, "libcrypto returned a \(length)-byte SHA-256 digest")
        return digest
    }

    /// Pads the message and returns its digest as 64 lowercase hex digits.
    public mutating func finalizeHex() -> String {
        SHA256.hex(finalize())
    }

    /// The hex digest of `bytes`.
    public static func hexDigest(of bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private mutating func makeContextUnique() {
        if !isKnownUniquelyReferenced(&context) {
            context = DigestContext(copying: context)
        }
    }
}

/// Owns one libcrypto `EVP_MD_CTX` set up for SHA-256.
///
/// libcrypto fails these calls only when it cannot allocate memory, which rrdbg treats like
/// Swift's own allocations: as fatal.
private final class DigestContext {
    let pointer: OpaquePointer

    init() {
        pointer = Self.newContext()
        check(EVP_DigestInit_ex(pointer, EVP_sha256(), nil), "EVP_DigestInit_ex")
    }

    /// A context in the same state as `other`, for a copy that goes its own way.
    init(copying other: DigestContext) {
        pointer = Self.newContext()
        check(EVP_MD_CTX_copy_ex(pointer, other.pointer), "EVP_MD_CTX_copy_ex")
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }

    func check(_ result: Int32, _ operation: String) {
        precondition(result == 1, "libcrypto's \(operation) failed for SHA-256")
    }

    private static func newContext() -> OpaquePointer {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto's EVP_MD_CTX_new failed: out of memory") }
        return context
    }
}
