import SluiceEngine

/// The top of the Logs tab while the task runs on PostgreSQL: the server's sessions on its
/// database (pid, state, wait event, query start, query), so a DBA sees what blocks it.
enum SessionsPanel {
    static let maxRows = 6
    static let headers = ["PID", "STATE", "WAIT", "STARTED", "QUERY"]

    /// The rows the panel takes at the top of an area `height` rows high (about half of it, at
    /// least 4 on a small screen, always leaving the log a line), and how many sessions it lists.
    static func layout(_ vm: SessionsViewModel, height: Int) -> (used: Int, rows: Int) {
        let budget = max(min(height - 1, 4), height / 2)
        guard budget >= 2 else { return (0, 0) }
        if vm.note != nil { return (min(budget, 3), 0) }
        var rows = min(vm.rows.count, maxRows, budget - 2)
        if vm.rows.count > rows && rows > 1 && rows + 3 > budget { rows -= 1 } // room for "… N more" (the title has the count)
        let lines = 2 + rows + (vm.rows.count > rows ? 1 : 0)
        return (min(budget, lines + 1), rows)
    }

    /// The rows the panel takes (0 when the task's sessions are not shown).
    static func height(_ s: AppState, _ task: RolloutTask, height: Int) -> Int {
        guard s.sessions.taskId == task.id else { return 0 }
        return layout(SessionsViewModel(s.sessions, database: task.database), height: height).used
    }

    /// Draws the panel at the top of `r`; returns the rows it used.
    static func draw(_ f: inout Frame, _ s: AppState, _ task: RolloutTask, _ r: Rect) -> Int {
        guard s.sessions.taskId == task.id else { return 0 }
        let vm = SessionsViewModel(s.sessions, database: task.database)
        let (used, room) = layout(vm, height: r.height)
        guard used > 0 else { return 0 }
        var y = r.y
        f.put(vm.title, x: r.x, y: y, role: .header, maxWidth: r.width)
        y += 1
        if let note = vm.note {
            f.put(note, x: r.x, y: y, role: vm.noteRole, maxWidth: r.width)
            return used
        }
        // Columns as wide as their widest cell, two spaces apart; the query takes the rest.
        let cells = vm.rows.map { [$0.pid, $0.state, $0.wait, $0.started] }
        let widths = (0..<4).map { c in max(DisplayWidth.of(headers[c]), cells.map { DisplayWidth.of($0[c]) }.max() ?? 0) + 2 }
        func line(_ texts: [String], _ roles: [Role]) {
            guard y < r.y + used else { return }
            var x = r.x
            for (i, text) in texts.enumerated() {
                let w = i < widths.count ? widths[i] - 2 : max(0, r.maxX - x)
                f.put(DisplayWidth.truncate(text, to: w), x: x, y: y, role: roles[i], maxWidth: max(0, min(w, r.maxX - x)))
                x += i < widths.count ? widths[i] : 0
            }
            y += 1
        }
        line(headers, Array(repeating: .dim, count: 5))
        for row in vm.rows.prefix(room) {
            line([row.pid, row.state, row.wait, row.started, row.query],
                 [.text, row.role, row.wait == "—" ? .dim : row.role, .dim, .sqlText])
        }
        if vm.rows.count > room && y < r.y + used { f.put("… \(vm.rows.count - room) more", x: r.x, y: y, role: .dim, maxWidth: r.width) }
        return used
    }
}
