/// The timeline page's style sheet.
///
/// Inline because the page must be one self-contained file that opens anywhere, offline, with no
/// network requests. Sizes and colours come from `TimelineTheme`, which the drawing script also
/// receives, so rows and drawing line up.
enum TimelineStyle {
    static var css: String {
        var css = """
            :root { --lane: \(TimelineTheme.laneHeight)px; --axis: 28px;
              --mono: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
              font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #212529; background: #fff; }
            * { box-sizing: border-box; }
            body { margin: 0; padding: 14px 18px 18px; }
            header { margin-bottom: 10px; }
            h1 { font-size: 18px; font-weight: 600; margin: 0 0 6px; overflow-wrap: anywhere; }
            .cmd { font-family: var(--mono); font-size: 12px; background: #f1f3f5; border-radius: 4px; padding: 4px 8px;
              white-space: pre-wrap; overflow-wrap: anywhere; max-height: 4.6em; overflow: auto; unicode-bidi: isolate; }
            .cmd::before { content: "$ "; color: #868e96; }
            .stats { color: #495057; margin-top: 6px; }
            .warning { color: #c92a2a; }
            .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; margin-bottom: 8px; }
            .legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; }
            .legend .item { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
            .legend .sep { width: 1px; height: 16px; background: #dee2e6; }
            .swatch { display: inline-block; width: 22px; height: 12px; border-radius: 2px; }
            .zoom { margin-left: auto; display: inline-flex; align-items: center; gap: 4px; }
            .zoom button { font: inherit; min-width: 30px; padding: 2px 8px; border: 1px solid #ced4da; border-radius: 4px;
              background: #f8f9fa; cursor: pointer; }
            .zoom button:hover { background: #e9ecef; }
            #zoom-level { min-width: 3.5em; text-align: center; color: #495057; font-variant-numeric: tabular-nums; }
            .hint { color: #868e96; font-size: 12px; margin-right: 6px; }
            #view { display: grid; grid-template-columns: max-content minmax(0, 1fr); border: 1px solid #dee2e6; border-radius: 4px; }
            .corner, #axis-cell { position: sticky; top: 0; z-index: 2; height: var(--axis); background: #f8f9fa;
              border-bottom: 1px solid #dee2e6; }
            .corner { padding: 5px 10px; color: #868e96; font-size: 12px; border-right: 1px solid #dee2e6; }
            #axis, #canvas { display: block; }
            #axis { width: 100%; height: 100%; }
            #labels { border-right: 1px solid #dee2e6; }
            .label { height: var(--lane); line-height: var(--lane); max-width: 28em; padding: 0 10px; font-family: var(--mono);
              font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; unicode-bidi: isolate; }
            .label .ids { color: #495057; }
            .label .name { font-weight: 600; }
            #tracks { position: relative; min-width: 0; }
            .lane { height: var(--lane); }
            .odd { background: #f4f5f7; }
            .process { box-shadow: inset 0 1px #adb5bd; }
            #canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab; }
            #canvas.dragging { cursor: grabbing; }
            #tip { position: fixed; z-index: 10; max-width: 520px; padding: 6px 9px; border-radius: 5px; pointer-events: none;
              background: #212529; color: #f8f9fa; font-size: 12px; box-shadow: 0 3px 12px rgba(0, 0, 0, 0.25); }
            #tip .lane-name { font-weight: 600; unicode-bidi: isolate; }
            #tip .range { color: #ced4da; font-variant-numeric: tabular-nums; }
            #tip .text { font-family: var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 3px; unicode-bidi: isolate; }
            .empty { padding: 16px; color: #868e96; }

            """
        for kind in TimelineSpan.Kind.allCases {
            css += ".swatch.\(kind.rawValue) { background: \(TimelineTheme.color(kind)); }\n"
        }
        let blocked = TimelineSpan.Kind.blocked
        css += ".swatch.mix { background: repeating-linear-gradient(-45deg, \(TimelineTheme.color(blocked)) 0 3px, "
        css += "\(TimelineTheme.paleColor(blocked)) 3px 6px); }\n"
        return css
    }
}
