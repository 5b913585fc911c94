/// The digest stored in `SyscallEvent.inputDigest`: 64-bit FNV-1a over the bytes a call sent.
///
/// It only needs to catch a replay that computed different output, not resist an adversary, so
/// a fast non-cryptographic hash is right. Its definition is part of the trace format.
public enum InputDigest {
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
