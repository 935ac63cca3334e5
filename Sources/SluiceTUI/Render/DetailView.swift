import Foundation
import SluiceEngine

/// The right pane: the selected issue's header, the tab bar, and the current tab.
enum DetailView {
    /// Column offsets of the tab labels in a tab row `width` cells wide (for drawing and mouse
    /// clicks): when they do not all fit, the row is shifted so the active tab is shown.
    static func tabRanges(width: Int = .max, active: DetailTab = .overview) -> [(DetailTab, Range<Int>)] {
        var x = 1
        var ranges = DetailTab.allCases.map { tab in
            let w = DisplayWidth.of(tab.title) + 2
            defer { x += w + 1 }
            return (tab, x..<(x + w))
        }
        if let a = ranges.first(where: { $0.0 == active }), a.1.upperBound > width {
            let shift = a.1.upperBound - width
            ranges = ranges.map { ($0.0, ($0.1.lowerBound - shift)..<($0.1.upperBound - shift)) }
        }
        return ranges.filter { $0.1.lowerBound >= 0 && $0.1.upperBound <= width }
    }

    static func tab(atColumn x: Int, width: Int = .max, active: DetailTab = .overview) -> DetailTab? {
        tabRanges(width: width, active: active).first { $0.1.contains(x) }?.0
    }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect, _ g: BoxGlyphs) {
        let focused = s.focus == .detail
        guard let issue = s.selectedIssue else {
            f.box(r, title: "0 Detail", focused: focused, glyphs: g)
            let inner = r.inner
            if inner.height > 1 {
                f.put(s.loaded ? " Select an issue, or press + to create one." : " Loading the workspace…",
                      x: inner.x, y: inner.y + 1, role: .dim, maxWidth: inner.width)
            }
            return
        }
        var note = "\(issue.status.rawValue) · \(issue.riskLevel.rawValue)"
        if issue.status == .open { note += " · " + approvalNote(s, issue) }
        f.box(r, title: "0 #\(issue.id) \(issue.title)", note: note, focused: focused, glyphs: g)
        let inner = r.inner
        guard inner.height > 2 else { return }
        // Tab bar.
        for (tab, range) in tabRanges(width: inner.width, active: s.tab) {
            let label = tab == s.tab ? "[\(tab.title)]" : " \(tab.title) "
            f.put(label, x: inner.x + range.lowerBound, y: inner.y, role: tab == s.tab ? .tabActive : .tab)
        }
        let body = Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: inner.height - 2)
        switch s.tab {
        case .overview: OverviewTab.draw(&f, s, body)
        case .sql: SQLTab.draw(&f, s, body)
        case .checks: ChecksTab.draw(&f, s, body)
        case .approvals: ApprovalsTab.draw(&f, s, body)
        case .logs: LogsTab.draw(&f, s, body)
        case .history: HistoryTab.draw(&f, s, body)
        }
    }

    static func approvalNote(_ s: AppState, _ issue: Issue) -> String {
        switch issue.approvalStatus {
        case .pending, .checking:
            if let step = s.detail?.approvals.first(where: { $0.status == "PENDING" }) { return "waiting \(step.role)" }
            return "waiting approval"
        case .rejected: return "rejected"
        case .approved: return "approved"
        case .skipped: return "no approval needed"
        }
    }

    /// Draws prepared lines with a scroll offset; returns how many lines there were.
    static func drawLines(_ f: inout Frame, _ lines: [[Span]], _ r: Rect, scroll: Int) {
        let start = max(0, min(scroll, lines.count - r.height))
        for row in 0..<r.height {
            let i = start + row
            guard lines.indices.contains(i) else { break }
            f.put(lines[i], x: r.x, y: r.y + row, maxWidth: r.width)
        }
    }
}
