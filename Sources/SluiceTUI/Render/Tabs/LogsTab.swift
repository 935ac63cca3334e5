import SluiceEngine

/// Logs: the selected task's runs, live; follows the end until scrolled up (G resumes).
/// Only visible lines are touched, so a 100,000-line log costs the same as a short one.
enum LogsTab {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        guard r.height > 1 else { return }
        guard let task = s.selectedTask else {
            f.put("No task: pick one in the Pipeline pane (3).", x: r.x, y: r.y, role: .dim, maxWidth: r.width)
            return
        }
        let badge = task.status.badge(waiting: task.waitingCause != nil)
        let attempt = s.log.runs.last.map { "attempt \($0.attempt)" } ?? "no run yet"
        let mode = s.log.follow ? "following" : "paused at line \(s.log.top + 1) (G follows)"
        f.put([Span("task #\(task.id) ", .header), Span(task.database), Span("  \(badge.text(unicode: s.unicode))", badge.role),
               Span("  \(attempt) · \(s.log.lines.count) lines · \(mode)\(s.log.wrap ? " · wrap" : "")", .dim)],
              x: r.x, y: r.y, maxWidth: r.width)
        let panel = SessionsPanel.draw(&f, s, task, Rect(x: r.x, y: r.y + 1, width: r.width, height: r.height - 1))
        let body = Rect(x: r.x, y: r.y + 1 + panel, width: r.width, height: r.height - 1 - panel)
        let lines = s.log.lines
        if lines.isEmpty {
            f.put(s.log.loading ? "loading…" : (task.waitingCause ?? "no log lines yet"), x: body.x, y: body.y, role: .dim, maxWidth: body.width)
            return
        }
        let timeWidth = 13
        let textWidth = max(1, body.width - timeWidth)
        if !s.log.wrap {
            let maxTop = max(0, lines.count - body.height)
            let top = s.log.follow ? maxTop : min(s.log.top, maxTop)
            for row in 0..<body.height {
                let i = top + row
                guard i < lines.count else { break }
                let l = lines[i]
                f.put(l.time, x: body.x, y: body.y + row, role: .logTime, maxWidth: timeWidth)
                f.put(l.text, x: body.x + timeWidth, y: body.y + row, role: l.role, maxWidth: textWidth)
            }
            return
        }
        // Wrapped: lay out backwards from the last line when following, forwards from `top` otherwise.
        var rows: [(String?, String, Role)] = []
        if s.log.follow {
            var i = lines.count - 1
            while i >= 0 && rows.count < body.height {
                let chunks = wrap(lines[i].text, textWidth)
                var block: [(String?, String, Role)] = []
                for (n, c) in chunks.enumerated() { block.append((n == 0 ? lines[i].time : nil, c, lines[i].role)) }
                rows.insert(contentsOf: block, at: 0)
                i -= 1
            }
            if rows.count > body.height { rows.removeFirst(rows.count - body.height) }
        } else {
            var i = min(s.log.top, lines.count - 1)
            while i < lines.count && rows.count < body.height {
                for (n, c) in wrap(lines[i].text, textWidth).enumerated() { rows.append((n == 0 ? lines[i].time : nil, c, lines[i].role)) }
                i += 1
            }
        }
        for (row, item) in rows.prefix(body.height).enumerated() {
            if let t = item.0 { f.put(t, x: body.x, y: body.y + row, role: .logTime, maxWidth: timeWidth) }
            f.put(item.1, x: body.x + timeWidth, y: body.y + row, role: item.2, maxWidth: textWidth)
        }
    }

    /// Cuts text into pieces of at most `width` cells.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var used = 0
        for sc in text.unicodeScalars {
            let w = DisplayWidth.of(sc)
            if used + w > width { out.append(String(current)); current = .init(); used = 0 }
            current.append(sc)
            used += w
        }
        out.append(String(current))
        return out
    }
}

/// History: the migration history of the selected task's database, and the schema diff of the selected change.
enum HistoryTab {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        guard let db = s.history.database else {
            f.put("No task: pick one in the Pipeline pane (3).", x: r.x, y: r.y, role: .dim, maxWidth: r.width)
            return
        }
        f.put([Span("History of ", .dim), Span(db, .header), Span("  (j/k select a change)", .dim)], x: r.x, y: r.y, maxWidth: r.width)
        if let e = s.history.error { f.put(e, x: r.x, y: r.y + 2, role: .error, maxWidth: r.width); return }
        if s.history.records.isEmpty { f.put("nothing recorded yet", x: r.x, y: r.y + 2, role: .dim, maxWidth: r.width); return }
        let listHeight = min(s.history.records.count, max(3, r.height / 3))
        let top = max(0, min(s.history.selected - listHeight + 1, s.history.records.count - listHeight))
        for row in 0..<listHeight {
            let i = top + row
            guard s.history.records.indices.contains(i) else { break }
            let m = s.history.records[i]
            let role: Role = m.status == "DONE" ? .statusDone : m.status == "FAILED" ? .statusFailed : .text
            let y = r.y + 1 + row
            f.put([Span(m.version ?? "—", .header), Span("  \(m.type)  "), Span(m.status, role),
                   Span("  issue \(m.issueId.map { "#\($0)" } ?? "—")  \(m.appliedAt)  \(Int(m.durationMs)) ms", .dim)],
                  x: r.x, y: y, maxWidth: r.width)
            if i == s.history.selected { f.restyle(x: r.x, y: y, width: r.width, role: s.focus == .detail ? .selection : .selectionUnfocused) }
        }
        let diffTop = r.y + 2 + listHeight
        guard s.history.records.indices.contains(s.history.selected), diffTop < r.maxY else { return }
        let m = s.history.records[s.history.selected]
        f.put("Schema diff of \(m.version ?? "this change")", x: r.x, y: diffTop, role: .header, maxWidth: r.width)
        let diff = SchemaSnapshot.diff(m.schemaBefore, m.schemaAfter)
        let lines = diff.isEmpty ? ["(no schema change)"] : diff.split(separator: "\n").map(String.init)
        for (n, line) in lines.enumerated() {
            let y = diffTop + 1 + n
            guard y < r.maxY else { break }
            let role: Role = line.hasPrefix("+") ? .diffAdded : line.hasPrefix("-") ? .diffRemoved : .diffContext
            f.put(line, x: r.x, y: y, role: role, maxWidth: r.width)
        }
    }
}
