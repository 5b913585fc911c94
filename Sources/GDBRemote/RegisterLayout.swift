/// One of the four target-description features the amd64 register set is split into. Each is
/// served as its own XML annex, because gdb expects exactly these feature names to recognise
/// the registers as amd64/Linux ones.
public enum TargetFeature: String, Sendable, CaseIterable {
    case core = "org.gnu.gdb.i386.core"
    case sse = "org.gnu.gdb.i386.sse"
    case linux = "org.gnu.gdb.i386.linux"
    case segments = "org.gnu.gdb.i386.segments"

    /// The annex name `target.xml` includes it by.
    public var annexName: String {
        switch self {
        case .core: "64bit-core.xml"
        case .sse: "64bit-sse.xml"
        case .linux: "64bit-linux.xml"
        case .segments: "64bit-segments.xml"
        }
    }
}

/// One register as gdb numbers, sizes and places it.
public struct RegisterInfo: Sendable, Equatable {
    /// gdb's register number, used by `p`/`P` and expedited stop-reply registers.
    public let number: Int
    public let name: String
    public let byteSize: Int
    /// Where the register's bytes start in the `g`/`G` packet (in bytes, not hex digits).
    public let offset: Int
    /// The target-description type (`int64`, `code_ptr`, `i387_ext`, `vec128`, …).
    public let type: String
    /// The target-description register group, where gdb's default would be wrong.
    public let group: String?
    public let feature: TargetFeature
}

/// gdb's amd64 GNU/Linux register set, in the order of the `g` packet.
///
/// gdb lays out the `g` packet by register number, each register in target (little-endian)
/// byte order, with no padding: 60 registers, 560 bytes. The stub fills that buffer from the
/// tracee's user_regs_struct and user_fpregs_struct. `TargetDescription` is generated from this
/// table, so the XML gdb reads and the buffer the stub builds cannot disagree.
public enum RegisterLayout {
    /// Size of a full `g` packet's register data in bytes.
    public static let registerPacketSize = 560

    /// All registers, indexed by register number.
    public static let registers: [RegisterInfo] = buildRegisters()

    /// The register with gdb number `number`.
    public static func register(number: Int) -> RegisterInfo? {
        registers.indices.contains(number) ? registers[number] : nil
    }

    /// The register called `name` (`rip`, `xmm3`, `orig_rax`, …).
    public static func register(named name: String) -> RegisterInfo? {
        registers.first { $0.name == name }
    }

    private struct Spec {
        let name: String
        let byteSize: Int
        let type: String
        var group: String?
        let feature: TargetFeature
    }

    private static func buildRegisters() -> [RegisterInfo] {
        var specs: [Spec] = []
        func add(_ names: [String], _ size: Int, _ type: String, _ group: String? = nil, _ feature: TargetFeature) {
            specs += names.map { Spec(name: $0, byteSize: size, type: type, group: group, feature: feature) }
        }
        add(["rax", "rbx", "rcx", "rdx", "rsi", "rdi"], 8, "int64", nil, .core)
        add(["rbp", "rsp"], 8, "data_ptr", nil, .core)
        add((8...15).map { "r\($0)" }, 8, "int64", nil, .core)
        add(["rip"], 8, "code_ptr", nil, .core)
        add(["eflags"], 4, "i386_eflags", nil, .core)
        add(["cs", "ss", "ds", "es", "fs", "gs"], 4, "int32", nil, .core)
        add((0...7).map { "st\($0)" }, 10, "i387_ext", nil, .core)
        add(["fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"], 4, "int", "float", .core)
        add((0...15).map { "xmm\($0)" }, 16, "vec128", nil, .sse)
        add(["mxcsr"], 4, "i386_mxcsr", "vector", .sse)
        add(["orig_rax"], 8, "int", nil, .linux)
        add(["fs_base", "gs_base"], 8, "int", nil, .segments)

        var offset = 0
        return specs.enumerated().map { number, spec in
            defer { offset += spec.byteSize }
            return RegisterInfo(
                number: number, name: spec.name, byteSize: spec.byteSize, offset: offset,
                type: spec.type, group: spec.group, feature: spec.feature
            )
        }
    }
}
