import Foundation

/// Runs a real Chromium, headless, on a local page: the only way to know that generated HTML
/// really lays out and that its script runs, rather than that it merely contains the right
/// strings.
///
/// Tests fail, never skip, when no browser is installed, so a CI machine without one cannot pass
/// by accident; `HeadlessBrowser.Failure.notInstalled` says how to install it. Shared by the
/// renderer's tests and the end-to-end tests of `rrdbg timeline`.
public struct HeadlessBrowser {
    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case timedOut(seconds: Int, arguments: [String])
        case failed(status: Int32, arguments: [String], standardError: String)

        public var description: String {
            switch self {
            case .notInstalled:
                "No Chromium found (looked for \(HeadlessBrowser.names.joined(separator: ", ")) on PATH, and "
                    + "$\(HeadlessBrowser.environmentVariable)). On Debian or Ubuntu install it with: "
                    + "apt-get install -y chromium"
            case .timedOut(let seconds, let arguments):
                "Chromium did not finish within \(seconds) s: \(arguments.joined(separator: " "))"
            case .failed(let status, let arguments, let standardError):
                "Chromium exited with status \(status): \(arguments.joined(separator: " "))\n\(standardError)"
            }
        }
    }

    /// Set to a browser executable to use it instead of searching PATH.
    public static let environmentVariable = "RRDBG_CHROMIUM"
    public static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    public let executable: String

    /// The browser named by `$RRDBG_CHROMIUM`, or the first of `names` found on PATH.
    public static func find() throws -> HeadlessBrowser {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment[environmentVariable], !chosen.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: chosen) else {
                throw Failure.notInstalled
            }
            return HeadlessBrowser(executable: chosen)
        }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return HeadlessBrowser(executable: "\(directory)/\(name)")
            }
        }
        throw Failure.notInstalled
    }

    /// The document as it stands after the page's scripts ran, serialised as HTML.
    public func dumpDOM(of page: URL, windowWidth: Int = 1200, windowHeight: Int = 800, timeout: Int = 60) throws -> String {
        let output = try run(["--dump-dom", "--window-size=\(windowWidth),\(windowHeight)", page.absoluteString], timeout: timeout)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes a PNG of the page as a window of the given size shows it.
    public func screenshot(of page: URL, to png: URL, windowWidth: Int = 1200, windowHeight: Int = 800, timeout: Int = 60) throws {
        try? FileManager.default.removeItem(at: png)
        _ = try run(
            ["--screenshot=\(png.path)", "--window-size=\(windowWidth),\(windowHeight)", "--hide-scrollbars", page.absoluteString],
            timeout: timeout)
    }

    /// Runs the browser headless with a fresh profile and returns its standard output.
    ///
    /// The browser runs under coreutils' `timeout`, which puts it in its own process group and
    /// kills the whole group (renderer and helper processes too) if it hangs.
    private func run(_ pageArguments: [String], timeout: Int) throws -> Data {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rrdbg-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let arguments = [
            // --no-sandbox because tests run as root, where Chromium's sandbox refuses to start.
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
        ] + pageArguments
        let standardOutput = scratch.appendingPathComponent("stdout")
        let standardError = scratch.appendingPathComponent("stderr")
        try Data().write(to: standardOutput)
        try Data().write(to: standardError)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", String(timeout), executable] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        process.standardError = try FileHandle(forWritingTo: standardError)
        try process.run()
        process.waitUntilExit()
        // 124 is timeout's status when it had to stop the command; 137 when it had to kill it.
        if process.terminationReason == .exit, process.terminationStatus == 124 || process.terminationStatus == 137 {
            throw Failure.timedOut(seconds: timeout, arguments: arguments)
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
            throw Failure.failed(status: process.terminationStatus, arguments: arguments, standardError: errors)
        }
        return try Data(contentsOf: standardOutput)
    }
}
