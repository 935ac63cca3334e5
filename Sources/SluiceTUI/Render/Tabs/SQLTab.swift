import SluiceEngine

/// SQL: each spec's statement, syntax highlighted, with its target and type.
enum SQLTab {
    static func lines(_ s: AppState) -> [[Span]] {
        guard let d = s.detail else { return [[Span("loading…", .dim)]] }
        var out: [[Span]] = []
        for spec in d.specs {
            let stage = d.stages.first { $0.stage.id == spec.stageId }?.stage.environment ?? "?"
            out.append([Span("Spec \(spec.id.prefix(12))", .header), Span("  \(spec.type.rawValue)", .dim),
                        Span("  \(stage)", .envNormal), Span("  → \(spec.target)", .dim),
                        Span(spec.schemaVersion.map { "  version \($0)" } ?? "", .dim)])
            guard let sql = s.sheets[spec.sheetId] else { out.append([Span("  loading…", .dim)]); continue }
            var inComment = false
            for (n, line) in sql.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let number = String(n + 1)
                let gutter = String(repeating: " ", count: max(0, 4 - number.count)) + number + "  "
                out.append([Span(gutter, .dim)] + SQLHighlighter.spans(String(line), inBlockComment: &inComment))
            }
            out.append([])
        }
        return out
    }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        DetailView.drawLines(&f, lines(s), r, scroll: s.detailScroll)
    }
}
