import CGuestShim

/// The identity and feature bits of the CPU rrdbg runs on, as native cpuid reports them.
///
/// When the CPU cannot make cpuid fault, the guest executes cpuid natively; its results are then
/// not in the trace, and replay is only exact on a CPU that answers the same. This signature is
/// what record and replay compare. It leaves out the per-core APIC id (leaf 1 ebx bits 24-31),
/// which pinning the guest to one CPU keeps constant.
public enum CPUSignature {
    public static func current() -> String {
        let leaves: [(UInt32, UInt32)] = [(0, 0), (1, 0), (7, 0), (0x8000_0001, 0)]
        return leaves.map { leaf, subleaf in
            var out: [UInt32] = [0, 0, 0, 0]
            out.withUnsafeMutableBufferPointer { rrdbg_cpuid(leaf, subleaf, $0.baseAddress) }
            if leaf == 1 { out[1] &= 0x00ff_ffff }
            return out.map { String($0, radix: 16) }.joined(separator: ":")
        }.joined(separator: "/")
    }
}
