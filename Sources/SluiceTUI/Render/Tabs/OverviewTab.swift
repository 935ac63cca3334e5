import Foundation
import SluiceEngine

/// Overview: who, status, approval at a glance, each stage's progress, the latest timeline.
enum OverviewTab {
    static func lines(_ s: AppState, width: Int) -> [[Span]] {
        guard let issue = s.selectedIssue else { return [] }
        var out: [[Span]] = []
        out.append([Span("Status    ", .dim), Span("\(issue.status.glyph) \(issue.status.rawValue)", issue.status.role),
                    Span("   Risk ", .dim), Span(issue.riskLevel.rawValue, issue.riskLevel.role),
                    Span("   Project ", .dim), Span(issue.project)])
        out.append([Span("Creator   ", .dim), Span(issue.creator), Span("   Assignee ", .dim), Span(issue.assignee ?? "—")])
        if !issue.description.isEmpty { out.append([Span("About     ", .dim), Span(issue.description)]) }
        out.append([])
        guard let d = s.detail, d.issue.id == issue.id else {
            out.append([Span("loading…", .dim)])
            return out
        }
        var approval: [Span] = [Span("Approval  ", .dim), Span("\(d.issue.approvalStatus.glyph) \(d.issue.approvalStatus.rawValue)", d.issue.approvalStatus.role)]
        for step in ApprovalsViewModel(detail: d, progress: s.approvalProgress).steps {
            approval.append(Span("  \(s.unicode ? step.badge.glyph : step.badge.ascii) ", step.badge.role))
            approval.append(Span(step.approver.map { "\($0) (\(step.role))" } ?? step.role))
        }
        out.append(approval)
        for st in d.stages {
            let done = st.tasks.filter { $0.status.finishesStage }.count
            let protected = s.environments.first { $0.name == st.stage.environment }?.protected ?? false
            var line = [Span("Stage     ", .dim), Span(st.stage.environment, protected ? .envProduction : .envNormal)]
            let summary = StageSummary(st)
            line.append(Span("  \(summary.badge.text(unicode: s.unicode))", summary.badge.role))
            line.append(Span("  \(done)/\(st.tasks.count) done", .dim))
            if let cause = st.tasks.first(where: { $0.waitingCause != nil })?.waitingCause { line.append(Span("  · \(cause)", .dim)) }
            out.append(line)
        }
        out.append([])
        out.append([Span("Timeline", .header)])
        for e in d.timeline.suffix(200).reversed() {
            out.append([Span(LogFormatter.time(e.at).prefix(8) + "  ", .logTime), Span("\(e.actor)  ", .dim), Span(e.text)])
        }
        return out
    }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        DetailView.drawLines(&f, lines(s, width: r.width), r, scroll: s.detailScroll)
    }
}

/// The status a whole stage shows: failed beats running beats blocked beats done.
struct StageSummary {
    var badge: StatusBadge
    init(_ st: StageDetail) {
        let statuses = st.tasks.map(\.status)
        if st.finished { badge = (statuses.contains(.done) ? TaskStatus.done : .skipped).badge }
        else if statuses.contains(.failed) { badge = TaskStatus.failed.badge }
        else if statuses.contains(.running) { badge = TaskStatus.running.badge }
        else if statuses.contains(.pending) { badge = TaskStatus.pending.badge }
        else if statuses.contains(.canceled) { badge = TaskStatus.canceled.badge }
        else { badge = TaskStatus.notStarted.badge(waiting: st.tasks.contains { $0.waitingCause != nil }) }
    }
}
