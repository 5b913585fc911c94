import Foundation
import System

/// Where a command that writes one file (`pack`, `timeline`) puts it: `--output` as given,
/// standard output for `-`, or inside it when it names a directory, with `defaultName` by
/// default in the current directory. How the file is then written (replaced, written through,
/// refused) is `OutputFile`'s policy.
enum OutputPath {
    static func resolve(_ output: String?, defaultName: String) -> OutputFile.Destination {
        guard let output else { return .path(defaultName) }
        if output == "-" { return .standardOutput }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            return .path((output.hasSuffix("/") ? output : output + "/") + defaultName)
        }
        return .path(output)
    }
}
