import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GDBRemote
import XCTest

/// Collects what the tests check from a target-description document.
private final class DescriptionCollector: NSObject, XMLParserDelegate {
    struct Register {
        let name: String
        let bitsize: Int?
        let regnum: Int?
        let type: String?
    }

    var rootElement: String?
    var featureName: String?
    var registers: [Register] = []
    var includes: [String] = []
    var definedTypes: Set<String> = []
    var texts: [String: String] = [:]
    private var currentElement = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        if rootElement == nil {
            rootElement = elementName
        }
        currentElement = elementName
        switch elementName {
        case "feature":
            featureName = attributes["name"]
        case "reg":
            registers.append(Register(
                name: attributes["name"] ?? "", bitsize: attributes["bitsize"].flatMap { Int($0) },
                regnum: attributes["regnum"].flatMap { Int($0) }, type: attributes["type"]
            ))
        case "xi:include":
            includes.append(attributes["href"] ?? "")
        case "flags", "vector", "union", "struct":
            if let id = attributes["id"] {
                definedTypes.insert(id)
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty {
            texts[currentElement, default: ""] += trimmed
        }
    }
}

final class TargetDescriptionTests: XCTestCase {
    private func parseDocument(_ name: String) -> DescriptionCollector? {
        guard let document = TargetDescription.annex(named: name) else {
            XCTFail("no annex \(name)")
            return nil
        }
        let collector = DescriptionCollector()
        let parser = XMLParser(data: Data(document))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
        return collector
    }

    func testTargetDocument() throws {
        let target = try XCTUnwrap(parseDocument("target.xml"))
        XCTAssertEqual(target.rootElement, "target")
        XCTAssertEqual(target.texts["architecture"], "i386:x86-64")
        XCTAssertEqual(target.texts["osabi"], "GNU/Linux")
        XCTAssertEqual(target.includes, ["64bit-core.xml", "64bit-sse.xml", "64bit-linux.xml", "64bit-segments.xml"])
        for include in target.includes {
            XCTAssertNotNil(TargetDescription.annex(named: include), include)
        }
    }

    func testAnnexNames() {
        XCTAssertEqual(TargetDescription.annexNames,
                       ["target.xml", "64bit-core.xml", "64bit-sse.xml", "64bit-linux.xml", "64bit-segments.xml"])
        XCTAssertNil(TargetDescription.annex(named: "32bit-core.xml"))
        XCTAssertNil(TargetDescription.annex(named: ""))
    }

    func testFeatureNames() throws {
        let expected = [
            "64bit-core.xml": "org.gnu.gdb.i386.core", "64bit-sse.xml": "org.gnu.gdb.i386.sse",
            "64bit-linux.xml": "org.gnu.gdb.i386.linux", "64bit-segments.xml": "org.gnu.gdb.i386.segments",
        ]
        for (annex, feature) in expected {
            let document = try XCTUnwrap(parseDocument(annex))
            XCTAssertEqual(document.rootElement, "feature")
            XCTAssertEqual(document.featureName, feature)
        }
    }

    /// The registers of all features, in include order, must be exactly `RegisterLayout`: same
    /// names, numbers (explicit, or one past the previous register as gdb assigns them) and sizes.
    func testRegistersAgreeWithLayout() throws {
        var registers: [DescriptionCollector.Register] = []
        for annex in TargetDescription.annexNames.dropFirst() {
            registers += try XCTUnwrap(parseDocument(annex)).registers
        }
        XCTAssertEqual(registers.count, RegisterLayout.registers.count)
        var nextNumber = 0
        var offset = 0
        for (register, expected) in zip(registers, RegisterLayout.registers) {
            let number = register.regnum ?? nextNumber
            nextNumber = number + 1
            XCTAssertEqual(register.name, expected.name)
            XCTAssertEqual(number, expected.number, expected.name)
            XCTAssertEqual(register.bitsize, expected.byteSize * 8, expected.name)
            XCTAssertEqual(register.type, expected.type, expected.name)
            XCTAssertEqual(offset, expected.offset, expected.name)
            offset += (register.bitsize ?? 0) / 8
        }
        XCTAssertEqual(offset, 560)
    }

    /// Every type a register uses is either one of gdb's predefined types or defined in the
    /// same feature.
    func testRegisterTypesAreDefined() throws {
        let predefined: Set<String> = ["int", "int32", "int64", "data_ptr", "code_ptr", "i387_ext"]
        for annex in TargetDescription.annexNames.dropFirst() {
            let document = try XCTUnwrap(parseDocument(annex))
            for register in document.registers {
                let type = register.type ?? ""
                XCTAssertTrue(predefined.contains(type) || document.definedTypes.contains(type), "\(annex): \(type)")
            }
        }
    }

    func testCoreAndSSETypeDefinitions() throws {
        XCTAssertTrue(try XCTUnwrap(parseDocument("64bit-core.xml")).definedTypes.contains("i386_eflags"))
        let sse = try XCTUnwrap(parseDocument("64bit-sse.xml"))
        XCTAssertTrue(sse.definedTypes.isSuperset(of: ["vec128", "i386_mxcsr", "v4f", "v2d", "v16i8", "v8i16", "v4i32", "v2i64"]))
    }
}
