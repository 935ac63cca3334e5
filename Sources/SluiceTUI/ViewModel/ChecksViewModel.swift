import Foundation
import SluiceEngine

/// The Checks tab's data: the engine's plan checks grouped per spec × database (one task each),
/// in pipeline order, with each check's verdict, the dry run, the statement summary and every
/// finding with its rule, position and fix.
struct ChecksViewModel {
    /// One line of a result that is worth a person's attention.
    struct Finding: Equatable {
        var status: PlanCheckStatus
        var kind: PlanCheckKind
        /// The review rule, or the result's title ("dry run failed", "cannot connect").
        var rule: String
        var line: Int?
        var column: Int?
        var message: String
        var fix: String?

        var position: String? { line.map { "line \($0)" + (column.map { ", column \($0)" } ?? "") } }
    }

    struct Verdict: Equatable {
        var kind: PlanCheckKind
        var status: PlanCheckStatus
    }

    struct Fact: Equatable {
        var title: String
        var text: String
    }

    struct Target: Equatable {
        var taskId: Int64
        var spec: String
        var database: String
        var environment: String
        /// The worst verdict; nil when the task has no stored checks.
        var status: PlanCheckStatus?
        var checks: [Verdict]
        /// The dry run's result ("dry run passed: 2 statement(s) ran …").
        var dryRun: Fact?
        var dryRunStatus: PlanCheckStatus?
        /// Statement summary facts: statements, tables, affected rows.
        var summary: [Fact]
        var findings: [Finding]
        var checkedAt: Date?
        /// Why the task waits, when plan checks hold it.
        var blockedBy: String?
    }

    var targets: [Target]
    var counts: [PlanCheckStatus: Int]
    /// Instead of targets: loading, or nothing checked.
    var note: String?

    init(detail d: IssueDetail, checks: [PlanCheck]?) {
        let byTask = Dictionary(grouping: checks ?? [], by: \.taskId)
        counts = Dictionary(grouping: checks ?? [], by: \.status).mapValues(\.count)
        targets = d.stages.flatMap { st in
            st.tasks.map { t in ChecksViewModel.target(t, st.stage.environment, byTask[t.id] ?? []) }
        }
        if checks == nil { note = "loading…" } else if checks?.isEmpty == true { note = "No plan checks have run for this issue." }
    }

    static func target(_ t: RolloutTask, _ environment: String, _ checks: [PlanCheck]) -> Target {
        let order: [PlanCheckKind] = [.connect, .dryRun, .statementSummary, .review]
        let sorted = checks.sorted { (order.firstIndex(of: $0.kind) ?? 0) < (order.firstIndex(of: $1.kind) ?? 0) }
        var target = Target(taskId: t.id, spec: t.specId, database: t.database, environment: environment,
                            status: sorted.map(\.status).max(), checks: sorted.map { Verdict(kind: $0.kind, status: $0.status) },
                            dryRun: nil, dryRunStatus: nil, summary: [], findings: [], checkedAt: sorted.map(\.checkedAt).max(),
                            blockedBy: t.waitingCause.flatMap { $0.hasPrefix("failed checks") ? $0 : nil })
        for check in sorted {
            for r in check.results {
                switch check.kind {
                case .dryRun:
                    let position = finding(r, check.kind).position
                    target.dryRun = Fact(title: r.title + (position.map { " at \($0)" } ?? ""), text: r.content)
                    target.dryRunStatus = r.status
                case .statementSummary:
                    target.summary.append(Fact(title: r.title, text: r.content))
                case .connect, .review:
                    if r.status != .success { target.findings.append(finding(r, check.kind)) }
                }
            }
        }
        return target
    }

    /// A result as a finding; review results carry "MESSAGE. Fix: FIX" in their content.
    static func finding(_ r: PlanCheckResult, _ kind: PlanCheckKind) -> Finding {
        var message = r.content
        var fix: String?
        if let range = r.content.range(of: ". Fix: ") {
            message = String(r.content[..<range.lowerBound])
            fix = String(r.content[range.upperBound...])
        }
        return Finding(status: r.status, kind: kind, rule: r.rule ?? r.title, line: r.line, column: r.column, message: message, fix: fix)
    }
}

extension PlanCheckStatus {
    /// Never by colour alone: a glyph and the word.
    var badge: StatusBadge {
        switch self {
        case .success: StatusBadge(glyph: "✓", ascii: "+", word: "SUCCESS", role: .checkSuccess)
        case .warning: StatusBadge(glyph: "!", ascii: "!", word: "WARNING", role: .checkWarning)
        case .error: StatusBadge(glyph: "✗", ascii: "x", word: "ERROR", role: .checkError)
        }
    }
}
