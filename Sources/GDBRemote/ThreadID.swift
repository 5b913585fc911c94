/// A thread as the remote protocol names it.
///
/// With the `multiprocess+` feature gdb writes `p<pid>.<tid>`, or `p<pid>` alone for every
/// thread of a process; without it, a bare `<tid>`. Each part is hex, except that `-1` means
/// "all" and `0` means "any" (gdb's "pick one for me", as in `Hgp0.0`).
public struct ThreadID: Sendable, Hashable, CustomStringConvertible {
    /// One part of a thread id.
    public enum Selector: Sendable, Hashable, CustomStringConvertible {
        case all
        case any
        case id(UInt64)

        /// `id(0)` is spelled `0` on the wire just like `any`, so both parse as `any`.
        public var description: String {
            switch self {
            case .all: "-1"
            case .any: "0"
            case .id(let value): HexCoding.numberString(value)
            }
        }

        init?<Text: Collection<UInt8>>(parsing text: Text) {
            if text.elementsEqual("-1".utf8) {
                self = .all
                return
            }
            guard let value = HexCoding.parseHex(text) else { return nil }
            self = value == 0 ? .any : .id(value)
        }
    }

    /// The process, or nil when gdb used the plain single-process form.
    public var process: Selector?
    public var thread: Selector

    public init(process: Selector?, thread: Selector) {
        self.process = process
        self.thread = thread
    }

    /// The usual concrete case: one thread of one process.
    public init(pid: UInt64, tid: UInt64) {
        self.init(process: pid == 0 ? .any : .id(pid), thread: tid == 0 ? .any : .id(tid))
    }

    /// Every thread of every process (`p-1.-1`).
    public static let all = ThreadID(process: .all, thread: .all)
    /// Any thread (`p0.0`).
    public static let any = ThreadID(process: .any, thread: .any)

    /// Parses either form; nil for anything else. `p<pid>` without a thread means all of that
    /// process's threads.
    public init?<Text: Collection<UInt8>>(parsing text: Text) {
        guard let first = text.first else { return nil }
        guard first == UInt8(ascii: "p") else {
            guard let thread = Selector(parsing: text) else { return nil }
            self.init(process: nil, thread: thread)
            return
        }
        let rest = text.dropFirst()
        guard let dot = rest.firstIndex(of: UInt8(ascii: ".")) else {
            guard let process = Selector(parsing: rest) else { return nil }
            self.init(process: process, thread: .all)
            return
        }
        guard let process = Selector(parsing: rest[..<dot]),
              let thread = Selector(parsing: rest[rest.index(after: dot)...])
        else { return nil }
        self.init(process: process, thread: thread)
    }

    /// `init(parsing:)` for a String.
    public init?(parsing text: String) {
        self.init(parsing: Array(text.utf8))
    }

    /// The wire form: `p<pid>.<tid>` when a process is known, else `<tid>`.
    public var description: String {
        guard let process else { return thread.description }
        return "p\(process).\(thread)"
    }

    /// The wire form as bytes, for building replies.
    public var bytes: [UInt8] { Array(description.utf8) }
}
