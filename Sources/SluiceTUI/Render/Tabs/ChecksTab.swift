import SluiceEngine

/// Checks: one row per spec × database with its plan-check result.
enum ChecksTab {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        guard let d = s.detail else { return }
        let vm = ChecksViewModel(detail: d)
        var lines: [[Span]] = []
        if let note = vm.note { lines.append([Span(note, .dim)]); lines.append([]) }
        for row in vm.rows {
            let glyph = row.role == .checkError ? "✗" : row.role == .checkWarning ? "!" : row.role == .checkSuccess ? "✓" : "·"
            lines.append([Span("\(glyph) \(row.result)", row.role), Span("  \(row.environment)  ", .envNormal), Span(row.database),
                          Span("  spec \(row.spec.prefix(8))", .dim)])
            for m in row.messages { lines.append([Span("    \(m)", row.role)]) }
        }
        DetailView.drawLines(&f, lines, r, scroll: s.detailScroll)
    }
}
