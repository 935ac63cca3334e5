import SluiceEngine

/// Checks: per spec × database, each plan check's verdict, the dry run, the statement summary
/// (statements, tables, affected rows) and every finding with its rule, position and fix.
enum ChecksTab {
    static let label = 16

    static func lines(_ s: AppState, width: Int) -> [[Span]] {
        guard let d = s.detail else { return [[Span("loading…", .dim)]] }
        let vm = ChecksViewModel(detail: d, checks: s.planChecks)
        var out: [[Span]] = [header(vm, s)]
        if let refusal = s.availability?.runChecks {
            out += TextWrap.lines([field("re-check")], "refused: \(refusal)", .dim, width: width)
        }
        if let note = vm.note { out.append([Span(note, .dim)]) }
        out.append([])
        guard vm.note == nil else { return out }
        for t in vm.targets {
            out += target(t, s, width: width)
            out.append([])
        }
        return out
    }

    /// "Plan checks  ✓ 6 SUCCESS  ! 1 WARNING  ✗ 1 ERROR   C re-check", counting checks as the engine does.
    static func header(_ vm: ChecksViewModel, _ s: AppState) -> [Span] {
        var line = [Span("Plan checks", .header)]
        for status in [PlanCheckStatus.success, .warning, .error] {
            let b = status.badge
            line.append(Span("  \(s.unicode ? b.glyph : b.ascii) \(vm.counts[status] ?? 0) \(b.word)", (vm.counts[status] ?? 0) > 0 ? b.role : .dim))
        }
        if s.availability?.runChecks == nil {
            line += [Span("   \(s.keymapForHints.label(.runChecks))", .keyhintKey), Span(" re-check", .keyhintText)]
        }
        return line
    }

    static func target(_ t: ChecksViewModel.Target, _ s: AppState, width: Int) -> [[Span]] {
        var out: [[Span]] = []
        var head: [Span]
        if let status = t.status {
            head = [badge(status, s)]
        } else {
            head = [Span(s.unicode ? "· not checked" : ". not checked", .dim)]
        }
        head += [Span("  \(t.environment)", s.environments.first { $0.name == t.environment }?.protected == true ? .envProduction : .envNormal),
                 Span("  \(t.database)"), Span("  spec \(t.spec.prefix(12))", .dim)]
        if let at = t.checkedAt { head.append(Span("  checked \(LogFormatter.dateTime(at))", .dim)) }
        out.append(head)
        if let cause = t.blockedBy { out += TextWrap.lines([field("waits")], cause, .checkError, width: width) }
        if !t.checks.isEmpty {
            var verdicts: [Span] = [field("checks")]
            for (i, c) in t.checks.enumerated() {
                let b = c.status.badge
                verdicts += [Span(i == 0 ? "" : " · ", .dim), Span("\(c.kind.title) "), Span(s.unicode ? b.glyph : b.ascii, b.role)]
            }
            out.append(verdicts)
        }
        if let dry = t.dryRun, let status = t.dryRunStatus {
            out += TextWrap.lines([field("dry run"), Span("\(s.unicode ? status.badge.glyph : status.badge.ascii) ", status.badge.role)],
                                        "\(dry.title): \(dry.text)", status == .success ? .text : status.badge.role, width: width)
        }
        for fact in t.summary { out += TextWrap.lines([field(fact.title)], fact.text, .text, width: width) }
        for f in t.findings {
            var lead = [field(f.kind == .review ? "review" : f.kind.title), badge(f.status, s), Span("  \(f.rule)", .header)]
            if let p = f.position { lead.append(Span("  \(p)", .dim)) }
            out.append(lead)
            out += TextWrap.lines([field("")], f.message, .text, width: width)
            if let fix = f.fix { out += TextWrap.lines([field(""), Span("fix: ", .dim)], fix, .dim, width: width) }
        }
        return out
    }

    static func badge(_ status: PlanCheckStatus, _ s: AppState) -> Span {
        let b = status.badge
        return Span("\(s.unicode ? b.glyph : b.ascii) \(b.word)", b.role)
    }

    static func field(_ name: String) -> Span { Span("  " + TextWrap.pad(name, label - 2), .dim) }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        DetailView.drawLines(&f, lines(s, width: r.width), r, scroll: s.detailScroll)
    }
}
