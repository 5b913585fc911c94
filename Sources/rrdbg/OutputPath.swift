import Foundation

/// Where a command that writes one file (`pack`, `timeline`) puts it: `--output` as given, or
/// inside it when it names a directory, with `defaultName` by default in the current directory.
enum OutputPath {
    static func resolve(_ output: String?, defaultName: String) -> String {
        guard let output else { return defaultName }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            return (output.hasSuffix("/") ? output : output + "/") + defaultName
        }
        return output
    }
}
