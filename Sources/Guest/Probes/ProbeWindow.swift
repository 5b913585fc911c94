/// The instructions a probe overwrites with its 5-byte jump: the instruction at the probed
/// address, and as few of its neighbours as make five bytes.
///
/// Every arrival at the probed address must go through the jump, and nothing may arrive in the
/// middle of the overwritten bytes. So when the window starts before the probed instruction,
/// that instruction must not be a branch target; no other instruction inside the window may be
/// one; and a window of several instructions is refused in functions with indirect jumps,
/// whose targets cannot be known.
public struct ProbeWindow: Equatable, Sendable {
    /// The size of `jmp rel32`.
    public static let jumpLength = 5

    /// The overwritten instructions, in order and contiguous.
    public let instructions: [X86Instruction]
    /// The index of the probed instruction in `instructions`.
    public let anchorIndex: Int
    /// The small loop around the window, when there is one: the stub runs a copy of it, so a
    /// thread that entered the stub loops there with no more jumps than the program's own.
    public var loop: Loop?

    /// A loop whose back edge (a jump from the window or after it to the window or before it)
    /// closes over movable instructions only.
    public struct Loop: Equatable, Sendable {
        /// From the back edge's target to the window's start.
        public var head: [X86Instruction]
        /// From the window's end to the back edge, included.
        public var tail: [X86Instruction]

        /// All the loop's code, window included.
        public func range(around window: ProbeWindow) -> Range<UInt64> {
            (head.first?.address ?? window.start)..<(tail.last?.end ?? window.end)
        }
    }

    init(instructions: [X86Instruction], anchorIndex: Int, loop: Loop? = nil) {
        self.instructions = instructions
        self.anchorIndex = anchorIndex
        self.loop = loop
    }

    /// The largest loop copied into a stub, in instructions.
    static let maximumLoopInstructions = 64

    public var anchor: UInt64 { instructions[anchorIndex].address }
    public var start: UInt64 { instructions[0].address }
    public var end: UInt64 { instructions[instructions.count - 1].end }
    public var range: Range<UInt64> { start..<end }

    /// Why no window could be found, for the message that says a slower way is used.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case outsideCode
        case undecodable
        case staysInPlace
        case noSafeNeighbours

        public var description: String {
            switch self {
            case .outsideCode: return "the address is not in mapped code"
            case .undecodable: return "the bytes there are not a valid instruction"
            case .staysInPlace: return "the instruction there cannot run elsewhere"
            case .noSafeNeighbours: return "no 5 bytes around it are free of branch targets and movable"
            }
        }
    }

    /// The window for a probe at `anchor` in `code`, whose bytes `read(address, count)` returns
    /// (with any breakpoint bytes already masked out).
    public static func choose(
        anchor: UInt64, code: CodeMap, read: (UInt64, Int) -> [UInt8]?
    ) -> Result<ProbeWindow, Refusal> {
        guard code.range.contains(anchor) else { return .failure(.outsideCode) }
        func decode(_ address: UInt64) -> X86Instruction? {
            guard code.range.contains(address), let bytes = read(address, 15) else { return nil }
            return X86Instruction.decode(bytes[...], at: address)
        }
        guard let probed = decode(anchor) else { return .failure(.undecodable) }
        guard probed.isRelocatable else { return .failure(.staysInPlace) }
        if probed.length >= jumpLength {
            var window = ProbeWindow(instructions: [probed], anchorIndex: 0)
            window.loop = loop(around: window, code: code, decode: decode)
            return .success(window)
        }
        guard code.isInstructionStart(anchor), !code.functionHasIndirectJump(around: anchor) else {
            return .failure(.noSafeNeighbours)
        }
        var leading: [X86Instruction] = []
        var candidates = [ProbeWindow?]()
        candidates.append(extend(leading: [], probed: probed, code: code, decode: decode))
        for start in code.instructionStarts(before: anchor, count: 3) {
            guard let instruction = decode(start), instruction.end == (leading.first?.address ?? anchor),
                  instruction.isRelocatable, instruction.flow == .next,
                  !code.isBranchTarget(leading.first?.address ?? anchor)
            else { break }
            leading.insert(instruction, at: 0)
            candidates.append(extend(leading: leading, probed: probed, code: code, decode: decode))
        }
        guard var window = candidates.compactMap({ $0 }).min(by: { $0.instructions.count < $1.instructions.count }) else {
            return .failure(.noSafeNeighbours)
        }
        window.loop = loop(around: window, code: code, decode: decode)
        return .success(window)
    }

    /// The innermost loop closing over the window: from the window, the first backward jump to
    /// the window's start or before it, with only movable instructions from its target to it.
    private static func loop(around window: ProbeWindow, code: CodeMap, decode: (UInt64) -> X86Instruction?) -> Loop? {
        var tail: [X86Instruction] = []
        var edge = window.instructions[window.instructions.count - 1]
        while true {
            if let target = backwardTarget(of: edge), target <= window.start {
                guard let head = instructions(from: target, to: window.start, code: code, decode: decode) else { return nil }
                return Loop(head: head, tail: tail)
            }
            guard tail.count + window.instructions.count < maximumLoopInstructions,
                  let next = decode(edge.end), next.isRelocatable, !code.functionStarts(inside: window.start..<next.end)
            else { return nil }
            tail.append(next)
            edge = next
        }
    }

    private static func backwardTarget(of instruction: X86Instruction) -> UInt64? {
        switch instruction.flow {
        case .jump(let target), .conditionalJump(let target, _): return target < instruction.address ? target : nil
        default: return nil
        }
    }

    /// The movable instructions from `start` to `end`, if decoding from `start` lands on `end`.
    private static func instructions(from start: UInt64, to end: UInt64, code: CodeMap, decode: (UInt64) -> X86Instruction?) -> [X86Instruction]? {
        guard code.function(around: end &- 1).contains(start) || start == end else { return nil }
        var result: [X86Instruction] = []
        var address = start
        while address < end {
            guard result.count < maximumLoopInstructions, let instruction = decode(address), instruction.isRelocatable else { return nil }
            result.append(instruction)
            address = instruction.end
        }
        return address == end ? result : nil
    }

    /// `leading` instructions, the probed one and as many following ones as make five bytes,
    /// if none of the followers is a branch target or immovable.
    private static func extend(
        leading: [X86Instruction], probed: X86Instruction, code: CodeMap, decode: (UInt64) -> X86Instruction?
    ) -> ProbeWindow? {
        var instructions = leading + [probed]
        var length = instructions.reduce(0) { $0 + $1.length }
        while length < jumpLength {
            guard let next = decode(instructions[instructions.count - 1].end), next.isRelocatable,
                  !code.isBranchTarget(next.address)
            else { return nil }
            instructions.append(next)
            length += next.length
        }
        let window = ProbeWindow(instructions: instructions, anchorIndex: leading.count)
        guard code.range.contains(window.end &- 1), !code.functionStarts(inside: window.range) else { return nil }
        return window
    }
}
