/// How the timeline looks: colours, mark symbols and lane geometry, in one place so that the
/// drawing script, the legend and the style sheet always agree.
enum TimelineTheme {
    static let laneHeight = 30
    /// The span bar sits below a strip where mark symbols are drawn.
    static let barTop = 12
    static let barHeight = 15

    /// Fill of a span of this kind.
    static func color(_ kind: TimelineSpan.Kind) -> String {
        switch kind {
        case .running: "#2f9e44"
        case .runnable: "#f08c00"
        case .blocked: "#748ffc"
        }
    }

    /// The pale stripe between the coloured ones in a merged span's hatching.
    static func paleColor(_ kind: TimelineSpan.Kind) -> String {
        switch kind {
        case .running: "#c3ecc9"
        case .runnable: "#ffe8b0"
        case .blocked: "#dbe2ff"
        }
    }

    static func color(_ kind: TimelineMark.Kind) -> String {
        switch kind {
        case .created: "#087f5b"
        case .exited: "#212529"
        case .signal: "#e03131"
        case .preempted: "#ae3ec9"
        case .other: "#495057"
        }
    }

    /// The symbol's outline as SVG path data (which canvas `Path2D` also reads), centred on x = 0,
    /// within y = 0...11: the strip above the span bar.
    static func symbol(_ kind: TimelineMark.Kind) -> String {
        switch kind {
        case .created: "M-3.5,0.5 L5,5.5 L-3.5,10.5 Z"
        case .exited: "M-4.5,1 H4.5 V10 H-4.5 Z"
        case .signal: "M0,0 L5.5,5.5 L0,11 L-5.5,5.5 Z"
        case .preempted: "M-5,1 H5 L0,10.5 Z"
        case .other: "M-4.5,5.5 A4.5,4.5 0 1 0 4.5,5.5 A4.5,4.5 0 1 0 -4.5,5.5 Z"
        }
    }
}
