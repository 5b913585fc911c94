/// The XML target description gdb fetches with `qXfer:features:read`.
///
/// gdb asks for `target.xml` first; it names the architecture and OS ABI and includes one
/// annex per feature, which gdb then fetches by name. Each feature lists its registers with
/// explicit numbers and sizes generated from `RegisterLayout`, plus the flag and vector types
/// gdb needs to display eflags, mxcsr and the xmm registers.
public enum TargetDescription {
    /// Every annex the stub serves: `target.xml` and the four feature files.
    public static let annexNames: [String] = ["target.xml"] + TargetFeature.allCases.map(\.annexName)

    /// The document for an annex name from `qXfer:features:read:<annex>:…`, or nil (reply
    /// `E00`-style error) for names this target does not have.
    public static func annex(named name: String) -> [UInt8]? {
        if name == "target.xml" {
            return Array(targetXML.utf8)
        }
        guard let feature = TargetFeature.allCases.first(where: { $0.annexName == name }) else {
            return nil
        }
        return Array(featureXML(feature).utf8)
    }

    /// The top-level document.
    public static let targetXML: String = {
        let includes = TargetFeature.allCases
            .map { "  <xi:include href=\"\($0.annexName)\"/>\n" }
            .joined()
        return """
            <?xml version="1.0"?>
            <!DOCTYPE target SYSTEM "gdb-target.dtd">
            <target version="1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
              <architecture>i386:x86-64</architecture>
              <osabi>GNU/Linux</osabi>

            """ + includes + "</target>\n"
    }()

    /// One feature document: its types, then its registers in number order.
    public static func featureXML(_ feature: TargetFeature) -> String {
        let registers = RegisterLayout.registers
            .filter { $0.feature == feature }
            .map(registerElement)
            .joined()
        return """
            <?xml version="1.0"?>
            <!DOCTYPE feature SYSTEM "gdb-target.dtd">
            <feature name="\(feature.rawValue)">

            """ + typeDefinitions(feature) + registers + "</feature>\n"
    }

    private static func registerElement(_ register: RegisterInfo) -> String {
        let group = register.group.map { " group=\"\($0)\"" } ?? ""
        return "  <reg name=\"\(register.name)\" bitsize=\"\(register.byteSize * 8)\""
            + " type=\"\(register.type)\" regnum=\"\(register.number)\"\(group)/>\n"
    }

    private static func typeDefinitions(_ feature: TargetFeature) -> String {
        switch feature {
        case .core:
            flags("i386_eflags", [
                ("CF", 0), ("PF", 2), ("AF", 4), ("ZF", 6), ("SF", 7), ("TF", 8), ("IF", 9),
                ("DF", 10), ("OF", 11), ("NT", 14), ("RF", 16), ("VM", 17), ("AC", 18),
                ("VIF", 19), ("VIP", 20), ("ID", 21),
            ])
        case .sse:
            vectorTypes + flags("i386_mxcsr", [
                ("IE", 0), ("DE", 1), ("ZE", 2), ("OE", 3), ("UE", 4), ("PE", 5), ("DAZ", 6),
                ("IM", 7), ("DM", 8), ("ZM", 9), ("OM", 10), ("UM", 11), ("PM", 12), ("FZ", 15),
            ])
        case .linux, .segments:
            ""
        }
    }

    /// A 32-bit flags type with one single-bit field per named flag.
    private static func flags(_ id: String, _ fields: [(String, Int)]) -> String {
        let lines = fields.map { name, bit in
            "    <field name=\"\(name)\" start=\"\(bit)\" end=\"\(bit)\"/>\n"
        }
        return "  <flags id=\"\(id)\" size=\"4\">\n" + lines.joined() + "  </flags>\n"
    }

    /// The views gdb offers of a 128-bit xmm register (`p $xmm0.v4_float`, …).
    private static let vectorTypes: String = {
        let views: [(id: String, element: String, count: Int, field: String)] = [
            ("v4f", "ieee_single", 4, "v4_float"),
            ("v2d", "ieee_double", 2, "v2_double"),
            ("v16i8", "int8", 16, "v16_int8"),
            ("v8i16", "int16", 8, "v8_int16"),
            ("v4i32", "int32", 4, "v4_int32"),
            ("v2i64", "int64", 2, "v2_int64"),
        ]
        let vectors = views.map { view in
            "  <vector id=\"\(view.id)\" type=\"\(view.element)\" count=\"\(view.count)\"/>\n"
        }
        let fields = views.map { view in
            "    <field name=\"\(view.field)\" type=\"\(view.id)\"/>\n"
        }
        return vectors.joined()
            + "  <union id=\"vec128\">\n"
            + fields.joined()
            + "    <field name=\"uint128\" type=\"uint128\"/>\n"
            + "  </union>\n"
    }()
}
