import SluiceEngine

/// `render(state, size, theme) → Frame`: pure, and cheap enough for every key and tick.
/// The frame carries style roles; the theme's styles are applied by whoever shows it.
public enum Renderer {
    public static func render(_ state: AppState, size: Size, theme: Theme? = nil) -> Frame {
        var s = state
        s.size = size
        var frame = Frame(width: size.width, height: size.height)
        let layout = s.layout
        if layout.tooSmall {
            drawTooSmall(&frame, size)
            return frame
        }
        let glyphs: BoxGlyphs = s.unicode ? .unicode : .ascii
        ProjectsPane.draw(&frame, s, layout.projects, glyphs)
        IssuesPane.draw(&frame, s, layout.issues, glyphs)
        PipelinePane.draw(&frame, s, layout.pipeline, glyphs)
        DetailView.draw(&frame, s, layout.detail, glyphs)
        if let slot = layout.slot { drawSlotHint(&frame, slot, layout.rect(for: slot)) }
        StatusBar.draw(&frame, s, layout.statusBar)
        if let dialog = s.dialog { DialogView.draw(&frame, s, dialog, glyphs) }
        return frame
    }

    /// In a compact layout, the list panes not shown, named on the slot's bottom edge.
    static func drawSlotHint(_ f: inout Frame, _ shown: Pane, _ r: Rect) {
        let names: [(Pane, String)] = [(.projects, "1 Projects"), (.issues, "2 Issues"), (.pipeline, "3 Pipeline")]
        let hint = " " + names.filter { $0.0 != shown }.map(\.1).joined(separator: " · ") + " "
        let w = DisplayWidth.of(hint)
        guard r.height >= 2, w + 4 <= r.width else { return }
        f.put(hint, x: r.maxX - 2 - w, y: r.maxY - 1, role: .dim)
    }

    static func drawTooSmall(_ f: inout Frame, _ size: Size) {
        let lines = ["Terminal too small: \(size.width)×\(size.height)",
                     "Sluice needs at least \(Layout.minWidth)×\(Layout.minHeight).",
                     "Enlarge the window, or press q to quit."]
        let top = max(0, size.height / 2 - 1)
        for (i, l) in lines.enumerated() {
            let w = DisplayWidth.of(l)
            f.put(l, x: max(0, (size.width - w) / 2), y: top + i, role: i == 0 ? .tooSmall : .text)
        }
    }
}
