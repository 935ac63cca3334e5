import Foundation
import SluiceEngine

/// Pane 1: projects.
enum ProjectsPane {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect, _ g: BoxGlyphs) {
        let focused = s.focus == .projects
        f.box(r, title: "1 Projects", focused: focused, glyphs: g)
        let inner = r.inner
        guard inner.height > 0 else { return }
        let top = max(0, s.projectIndex - inner.height + 1)
        for row in 0..<inner.height {
            let i = top + row
            guard s.projects.indices.contains(i) else { break }
            let p = s.projects[i]
            let y = inner.y + row
            f.put([Span(" \(p.key)", .header), Span("  \(p.title)")], x: inner.x, y: y, maxWidth: inner.width)
            if i == s.projectIndex { f.restyle(x: inner.x, y: y, width: inner.width, role: focused ? .selection : .selectionUnfocused) }
        }
        if s.projects.isEmpty {
            f.put(s.loaded ? " no projects" : " loading…", x: inner.x, y: inner.y, role: .dim, maxWidth: inner.width)
        }
    }
}

/// Pane 2: issues of the selected project, filtered. Only the visible rows are drawn.
enum IssuesPane {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect, _ g: BoxGlyphs) {
        let focused = s.focus == .issues
        var note = "\(s.visibleIssues.count)"
        if !s.filter.text.isEmpty || s.filter.editing { note = "/\(s.filter.text)\(s.filter.editing ? "▏" : "") \(s.visibleIssues.count)" }
        f.box(r, title: "2 Issues", note: note, focused: focused, glyphs: g)
        let inner = r.inner
        guard inner.height > 0 else { return }
        let idWidth = max(3, "\(s.issues.first?.id ?? 0)".count + 1)
        for row in 0..<inner.height {
            let i = s.issueTop + row
            guard s.visibleIssues.indices.contains(i) else { break }
            let issue = s.issues[s.visibleIssues[i]]
            let y = inner.y + row
            let id = "#\(issue.id)".padding(toLength: idWidth + 1, withPad: " ", startingAt: 0)
            let mark = s.unicode ? issue.status.glyph : String(issue.status.rawValue.prefix(1))
            f.put([Span(" \(mark) ", issue.status.role), Span(id, .dim), Span(issue.title)], x: inner.x, y: y, maxWidth: inner.width)
            if i == s.issueIndex { f.restyle(x: inner.x, y: y, width: inner.width, role: focused ? .selection : .selectionUnfocused) }
        }
        if s.visibleIssues.isEmpty {
            let text = !s.loaded ? " loading…" : s.filter.text.isEmpty ? " no issues: + creates one" : " nothing matches /\(s.filter.text)"
            f.put(text, x: inner.x, y: inner.y, role: .dim, maxWidth: inner.width)
        }
    }
}

/// Pane 3: stages of the selected issue with their tasks: status glyph and word, waiting cause, progress.
enum PipelinePane {
    /// First visible row so the cursor stays in view.
    static func top(_ s: AppState, rows: Int) -> Int {
        max(0, min(s.pipelineIndex - rows / 2, s.pipeline.count - rows))
    }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect, _ g: BoxGlyphs) {
        let focused = s.focus == .pipeline
        f.box(r, title: "3 Pipeline", focused: focused, glyphs: g)
        let inner = r.inner
        guard inner.height > 0, let d = s.detail else {
            if inner.height > 0 { f.put(s.selectedIssue == nil ? "" : " loading…", x: inner.x, y: inner.y, role: .dim) }
            return
        }
        let start = top(s, rows: inner.height)
        for row in 0..<inner.height {
            let i = start + row
            guard s.pipeline.indices.contains(i) else { break }
            let y = inner.y + row
            switch s.pipeline[i] {
            case .stage(let si):
                let st = d.stages[si]
                let done = st.tasks.filter { $0.status.finishesStage }.count
                let protected = s.environments.first { $0.name == st.stage.environment }?.protected ?? false
                let mark = st.finished ? (s.unicode ? "✓" : "+") : (st.tasks.contains { $0.status == .running } ? (s.unicode ? "▶" : ">") : " ")
                f.put([Span(" \(st.stage.environment)", protected ? .envProduction : .envNormal),
                       Span(" \(mark) ", st.finished ? .statusDone : .text),
                       Span("\(done)/\(st.tasks.count)", .dim)], x: inner.x, y: y, maxWidth: inner.width)
            case let .task(si, ti):
                let t = d.stages[si].tasks[ti]
                let badge = t.status.badge(waiting: t.waitingCause != nil)
                var spans = [Span("   \(badge.text(unicode: s.unicode)) ", badge.role), Span(t.database)]
                if let cause = t.waitingCause { spans.append(Span(" · \(cause)", .dim)) }
                f.put(spans, x: inner.x, y: y, maxWidth: inner.width)
            }
            if i == s.pipelineIndex && (focused || s.focus == .detail) {
                f.restyle(x: inner.x, y: y, width: inner.width, role: focused ? .selection : .selectionUnfocused)
            }
        }
    }
}
