import ELF
import Glibc
import Guest
import System

/// Names backtrace frames: function (demangled), source file and line, inlined calls included.
///
/// It runs binutils' `addr2line` once per module with all of that module's addresses, rather than
/// linking a DWARF reader. The caller says which file each module is, because during replay the
/// files are the trace's archived copies, whose paths only it knows.
public struct Symbolizer {
    public var addr2linePath: String

    public init(addr2linePath: String = "/usr/bin/addr2line") {
        self.addr2linePath = addr2linePath
    }

    /// Symbolizes `frames`, looking each module base up in `modules` (module base, as in
    /// `UnwoundFrame.moduleBase`, to the file loaded there). Never fails as a whole: a frame
    /// whose names cannot be found gets "??" and, if something went wrong, a `problem`.
    public func symbolize(_ frames: [UnwoundFrame], modules: [UInt64: String]) -> [SymbolizedFrame] {
        var located: [UInt64: [UInt64: [SourceLocation]]] = [:]
        var problems: [UInt64: String] = [:]
        let bases = Set(frames.compactMap(\.moduleBase))
        for base in bases {
            guard let path = modules[base] else { continue }
            let addresses = Array(Set(frames.filter { $0.moduleBase == base }.map(\.lookupAddress))).sorted()
            do {
                located[base] = try lookUp(addresses, in: path, loadedAt: base)
            } catch {
                problems[base] = "\(error)"
            }
        }
        return frames.map { frame in
            guard let base = frame.moduleBase else {
                return SymbolizedFrame(
                    frame: frame, modulePath: nil, locations: [],
                    problem: "0x\(String(frame.ip, radix: 16)) is in no ELF image")
            }
            guard let path = modules[base] else {
                return SymbolizedFrame(
                    frame: frame, modulePath: nil, locations: [],
                    problem: "no file is known for the module at 0x\(String(base, radix: 16))")
            }
            return SymbolizedFrame(
                frame: frame, modulePath: path, locations: located[base]?[frame.lookupAddress] ?? [],
                problem: problems[base])
        }
    }

    /// Locations for run-time `addresses` in the file at `path`, loaded at `base`.
    private func lookUp(_ addresses: [UInt64], in path: String, loadedAt base: UInt64) throws -> [UInt64: [SourceLocation]] {
        // addr2line wants link-time addresses. An ET_EXEC file runs where it was linked, so its
        // addresses pass unchanged; a PIE or shared library (ET_DYN) was moved by the load
        // bias, base - linkedBase, which is undone.
        let layout = try ElfLayout(named: path) { offset, count in try Self.readFile(path, offset: offset, count: count) }
        let bias = layout.type == ElfLayout.typeExecutable ? 0 : base &- layout.linkedBase
        let command = ExternalCommand(
            path: addr2linePath,
            arguments: ["-a", "-f", "-C", "-i", "-e", path] + addresses.map { "0x" + String($0 &- bias, radix: 16) })
        let output = try command.run()
        guard output.status == 0 else {
            let detail = output.standardError.split(separator: "\n").first.map(String.init) ?? "exit status \(output.status)"
            throw UnwindError.toolFailed(command: "addr2line -e \(path)", detail: detail)
        }
        let records = try Addr2lineOutput.parse(output.standardOutput, addressCount: addresses.count)
        return Dictionary(uniqueKeysWithValues: zip(addresses, records))
    }

    private static func readFile(_ path: String, offset: UInt64, count: Int) throws -> [UInt8] {
        let fd = try retryingOnInterrupt("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            try retryingOnInterrupt("read(\(path))") { pread(fd, buffer.baseAddress, count, off_t(offset)) }
        }
        return Array(bytes[0..<got])
    }
}
