import ArgumentParser
import Foundation
import Trace

/// Turns the TRACE argument of every command into a trace directory: none means the latest
/// recording, a directory or a name under the trace root is used in place, and a file is a
/// bundle written by `rrdbg pack`, unpacked into the bundle cache. All commands resolve their
/// argument here, so each of them accepts all three forms.
enum TraceLocator {
    static func root() throws -> TraceRoot {
        TraceRoot(path: try TraceRoot.standardPath(environment: ProcessInfo.processInfo.environment))
    }

    static func resolve(_ argument: String?) throws -> TraceDirectory {
        var isDirectory: ObjCBool = false
        if let argument, FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            return try openBundle(argument)
        }
        return try root().resolve(argument)
    }

    private static func openBundle(_ path: String) throws -> TraceDirectory {
        let environment = ProcessInfo.processInfo.environment
        let cache = TraceBundleCache(path: try TraceBundleCache.standardPath(environment: environment))
        return try cache.open(bundleAt: path)
    }
}
