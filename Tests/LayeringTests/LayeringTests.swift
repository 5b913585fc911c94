import Foundation
import XCTest

/// Checks every `import` in `Sources/` against the layers listed in the README's "How it works".
///
/// SwiftPM lets a target import its dependencies' dependencies too, so `Package.swift` alone
/// does not keep, say, Reports away from ptrace once something it imports links Guest. This test
/// does: a target may import only what its layer allows, plus the platform's own modules.
final class LayeringTests: XCTestCase {
    /// What each target may import, beyond the platform modules.
    static let allowedImports: [String: Set<String>] = [
        "Syscalls": [],
        "ELF": [],
        "GDBRemote": [],
        "X86Registers": [],
        "System": ["CGuestShim"],
        "Trace": ["System", "X86Registers", "CLZ4", "CCrypto"],
        "GDBServer": ["GDBRemote", "System"],
        "Guest": ["System", "Syscalls", "ELF", "X86Registers", "CGuestShim", "CZydis"],
        "Unwind": ["Guest", "Syscalls", "ELF", "System", "CUnwind"],
        "Recorder": ["Guest", "Syscalls", "Trace", "System"],
        "Replayer": ["Guest", "Syscalls", "Unwind", "Trace", "GDBRemote", "GDBServer", "System", "X86Registers"],
        "Reports": ["Trace", "Syscalls"],
        "rrdbg": [
            "Recorder", "Replayer", "Trace", "Guest", "Syscalls", "Unwind", "Reports", "GDBServer",
            "System", "X86Registers", "ArgumentParser",
        ],
    ]

    static let platformModules: Set<String> = ["Glibc", "Foundation", "Dispatch", "Synchronization"]

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    func testEveryTargetImportsOnlyWhatItsLayerAllows() throws {
        var checked = 0
        for (target, imports) in try Self.importsByTarget() {
            guard let allowed = Self.allowedImports[target] else {
                XCTFail("Sources/\(target) is not in the layer list; add it to the README and here")
                continue
            }
            for (file, module) in imports where !allowed.contains(module) && !Self.platformModules.contains(module) {
                XCTFail("\(file) imports \(module), which its layer (\(target)) may not")
            }
            checked += imports.count
        }
        XCTAssertGreaterThan(checked, 100, "the source tree was found and read")
    }

    /// For each Swift target under Sources/, every (file, imported module) pair.
    static func importsByTarget() throws -> [String: [(String, String)]] {
        let manager = FileManager.default
        var result: [String: [(String, String)]] = [:]
        for target in try manager.contentsOfDirectory(atPath: sources.path) {
            let root = sources.appendingPathComponent(target)
            guard let files = manager.enumerator(atPath: root.path) else { continue }
            var imports: [(String, String)] = []
            var hasSwift = false
            for case let file as String in files where file.hasSuffix(".swift") {
                hasSwift = true
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                          words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                    imports.append(("Sources/\(target)/\(file)", String(words[index + 1])))
                }
            }
            if hasSwift { result[target] = imports }
        }
        return result
    }
}
