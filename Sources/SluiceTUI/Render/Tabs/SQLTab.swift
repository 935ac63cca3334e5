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

/// Approvals: the flow's steps, who approved, and the approval timeline; refused actions say why.
enum ApprovalsTab {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        guard let d = s.detail else { return }
        let vm = ApprovalsViewModel(detail: d)
        var lines: [[Span]] = []
        lines.append([Span("Approval  ", .dim), Span("\(vm.status.glyph) \(vm.status.rawValue)", vm.status.role),
                      Span("   Risk ", .dim), Span(vm.risk.rawValue, vm.risk.role)])
        lines.append([])
        if vm.steps.isEmpty { lines.append([Span("No approval flow applies to this issue.", .dim)]) }
        for step in vm.steps {
            lines.append([Span("Step \(step.index + 1)  ", .dim), Span("\(step.glyph) \(step.status.lowercased())", step.role),
                          Span("  \(step.role_)"), Span(step.approver.map { "  by \($0)" } ?? "", .dim)])
        }
        if let a = s.availability {
            lines.append([])
            lines.append([Span("a approve  ", .keyhintKey), Span(a.approve.map { "refused: \($0)" } ?? "allowed", a.approve == nil ? .checkSuccess : .dim)])
            lines.append([Span("x reject   ", .keyhintKey), Span(a.reject.map { "refused: \($0)" } ?? "allowed", a.reject == nil ? .checkSuccess : .dim)])
            lines.append([Span("u re-request ", .keyhintKey), Span(a.rerequest.map { "refused: \($0)" } ?? "allowed", a.rerequest == nil ? .checkSuccess : .dim)])
        }
        lines.append([])
        for e in vm.events.suffix(50) {
            lines.append([Span(String(LogFormatter.time(e.at).prefix(8)) + "  ", .logTime), Span("\(e.actor)  ", .dim), Span(e.text)])
        }
        DetailView.drawLines(&f, lines, r, scroll: s.detailScroll)
    }
}
