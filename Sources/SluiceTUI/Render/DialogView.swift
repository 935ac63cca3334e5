import SluiceEngine

/// Centred dialogs drawn over the panes.
enum DialogView {
    static func frameRect(_ s: AppState, width: Int, height: Int) -> Rect {
        let w = min(width, s.size.width - 2), h = min(height, s.size.height - 2)
        return Rect(x: (s.size.width - w) / 2, y: (s.size.height - h) / 2, width: w, height: h)
    }

    static func open(_ f: inout Frame, _ r: Rect, _ title: String, _ g: BoxGlyphs) {
        f.fill(x: r.x, y: r.y, width: r.width, height: r.height, role: .dialog)
        var border = r
        border.width = r.width
        f.box(border, title: " \(title) ", focused: false, glyphs: g)
        f.restyle(x: r.x, y: r.y, width: r.width, height: 1, role: .dialogBorder)
        f.restyle(x: r.x, y: r.maxY - 1, width: r.width, height: 1, role: .dialogBorder)
        f.restyle(x: r.x, y: r.y, width: 1, height: r.height, role: .dialogBorder)
        f.restyle(x: r.maxX - 1, y: r.y, width: 1, height: r.height, role: .dialogBorder)
        f.put(" \(title) ", x: r.x + 2, y: r.y, role: .titleFocused, maxWidth: r.width - 4)
    }

    static func buttons(_ f: inout Frame, _ r: Rect, yesFocused: Bool) {
        let y = r.maxY - 2
        let x = r.x + r.width / 2 - 9
        f.put(" Yes (y) ", x: x, y: y, role: yesFocused ? .buttonFocused : .button)
        f.put(" No (n) ", x: x + 11, y: y, role: yesFocused ? .button : .buttonFocused)
    }

    /// Text wrapped at spaces over at most `lines` rows, the last cut with an ellipsis.
    static func wrapped(_ f: inout Frame, _ text: String, x: Int, y: Int, width: Int, lines: Int, role: Role) {
        var rows = TextWrap.words(text, width)
        if rows.count > lines {
            rows = Array(rows.prefix(lines - 1)) + [rows[(lines - 1)...].joined(separator: " ")]
        }
        for (i, row) in rows.enumerated() { f.put(row, x: x, y: y + i, role: role, maxWidth: width) }
    }

    static func draw(_ f: inout Frame, _ s: AppState, _ dialog: Dialog, _ g: BoxGlyphs) {
        switch dialog {
        case let .message(title, text):
            let r = frameRect(s, width: 64, height: 7)
            open(&f, r, title, g)
            f.put(text, x: r.x + 2, y: r.y + 2, role: .dialog, maxWidth: r.width - 4)
            f.put("Enter closes", x: r.x + 2, y: r.maxY - 2, role: .dim)
        case .confirm(let d):
            let r = frameRect(s, width: 66, height: d.typeToConfirm == nil ? 8 : 9)
            open(&f, r, d.title, g)
            f.put(d.text, x: r.x + 2, y: r.y + 2, role: .dialog, maxWidth: r.width - 4)
            if let required = d.typeToConfirm {
                f.put([Span("Type ", .dialog), Span(required, .envProduction), Span(" to confirm: ", .dialog)], x: r.x + 2, y: r.y + 4, maxWidth: r.width - 4)
                f.put(DisplayWidth.pad(d.typed + "▏", to: 20), x: r.x + 2, y: r.y + 5, role: .input)
                f.put("Enter confirms · Esc cancels", x: r.x + 2, y: r.maxY - 2, role: .dim)
            } else {
                buttons(&f, r, yesFocused: d.yesFocused)
            }
        case .input(let d):
            let r = frameRect(s, width: 66, height: 7)
            open(&f, r, d.title, g)
            f.put(d.prompt, x: r.x + 2, y: r.y + 2, role: .dialog, maxWidth: r.width - 4)
            let shown = String(d.text.suffix(max(1, r.width - 6)))
            f.put(DisplayWidth.pad(shown + "▏", to: r.width - 4), x: r.x + 2, y: r.y + 3, role: .input)
            f.put("Enter confirms · Esc cancels", x: r.x + 2, y: r.maxY - 2, role: .dim)
        case .signIn(let d):
            let hint = d.hint.map { TextWrap.words($0, 60 - 4) } ?? []
            let r = frameRect(s, width: 60, height: 11 + (hint.isEmpty ? 0 : hint.count + 1))
            open(&f, r, "Sign in to \(s.workspaceName)", g)
            var y = r.y + 2
            for line in hint { f.put(line, x: r.x + 2, y: y, role: .message, maxWidth: r.width - 4); y += 1 }
            if !hint.isEmpty { y += 1 }
            f.put("Email", x: r.x + 2, y: y, role: d.onPassword ? .dialog : .header)
            f.put(DisplayWidth.pad(d.email + (d.onPassword ? "" : "▏"), to: r.width - 14), x: r.x + 12, y: y, role: .input)
            f.put("Password", x: r.x + 2, y: y + 2, role: d.onPassword ? .header : .dialog)
            f.put(DisplayWidth.pad(String(repeating: "•", count: d.password.count) + (d.onPassword ? "▏" : ""), to: r.width - 14),
                  x: r.x + 12, y: y + 2, role: .input)
            if let e = d.error { wrapped(&f, e, x: r.x + 2, y: y + 4, width: r.width - 4, lines: 2, role: .error) }
            f.put(d.busy ? "signing in…" : "Tab switches · Enter signs in · Esc quits", x: r.x + 2, y: r.maxY - 2, role: .dim)
        case .quit:
            let r = frameRect(s, width: 80, height: 12)
            let one = s.running.count == 1
            open(&f, r, one ? "Quit while a task runs?" : "Quit while tasks run?", g)
            let tasks = s.running.map { "#\($0.task)" }.joined(separator: ", ")
            wrapped(&f, Reducer.runningSummary(s.running) + " (task \(tasks)) in this process.", x: r.x + 2, y: r.y + 2,
                    width: r.width - 4, lines: 2, role: .dialog)
            let it = one ? "it" : "them"
            let choices: [(String, String)] = [
                ("w", "wait for \(it) to end, then quit"),
                ("l", "leave \(it) to `sluice run`: released now, the next runner takes \(it) over"),
                ("c", "cancel \(it) (rolled back), then quit"),
                ("esc", "stay"),
            ]
            for (i, c) in choices.enumerated() {
                f.put([Span(" " + c.0.padding(toLength: 5, withPad: " ", startingAt: 0), .keyhintKey), Span(c.1, .dialog)],
                      x: r.x + 2, y: r.y + 5 + i, maxWidth: r.width - 4)
            }
            f.put("ctrl-c again (or q) leaves \(it) to `sluice run`, at once.", x: r.x + 2, y: r.maxY - 2, role: .dim, maxWidth: r.width - 4)
        case .createIssue(let d):
            CreateIssueView.draw(&f, s, d, g)
        case .help(let m):
            HelpMenuView.draw(&f, s, m, g)
        }
    }
}

/// The new-issue form, one step at a time.
enum CreateIssueView {
    static func draw(_ f: inout Frame, _ s: AppState, _ d: CreateIssueDialog, _ g: BoxGlyphs) {
        let r = DialogView.frameRect(s, width: 84, height: min(26, s.size.height - 2))
        let steps = ["project & title", "targets", "SQL", "preview"]
        DialogView.open(&f, r, "New issue · \(d.step.rawValue + 1)/4 \(steps[d.step.rawValue])", g)
        let x = r.x + 2, w = r.width - 4
        var y = r.y + 2
        switch d.step {
        case .details:
            f.put([Span("Project  ", .header), Span("◀ \(d.project ?? "none") ▶", .input), Span("  (Tab changes)", .dim)], x: x, y: y, maxWidth: w)
            y += 2
            f.put("Title", x: x, y: y, role: .header)
            f.put(DisplayWidth.pad(d.title + "▏", to: w - 9), x: x + 9, y: y, role: .input)
        case .targets:
            f.put("Space toggles a database; one stage per environment, in order.", x: x, y: y, role: .dim, maxWidth: w)
            y += 1
            var env = ""
            for (i, t) in d.targets.enumerated() where y < r.maxY - 3 {
                if t.environment != env {
                    env = t.environment
                    y += 1
                    let protected = s.environments.first { $0.name == env }?.protected ?? false
                    f.put(env + (protected ? "  (protected)" : ""), x: x, y: y, role: protected ? .envProduction : .header)
                    y += 1
                }
                f.put("  [\(t.selected ? "x" : " ")] \(t.database)", x: x, y: y, role: .dialog, maxWidth: w)
                if i == d.targetIndex { f.restyle(x: x, y: y, width: w, role: .selection) }
                y += 1
            }
        case .sql:
            f.put("Type the SQL · ctrl-e opens $EDITOR · ctrl-s (or F2) continues", x: x, y: y, role: .dim, maxWidth: w)
            y += 1
            let rows = r.maxY - 3 - y
            let top = max(0, d.cursorLine - rows + 1)
            var inComment = false
            for row in 0..<max(0, rows) {
                let i = top + row
                guard d.sqlLines.indices.contains(i) else { break }
                let spans = [Span(String(i + 1).padding(toLength: 4, withPad: " ", startingAt: 0), .dim)]
                    + SQLHighlighter.spans(d.sqlLines[i], inBlockComment: &inComment) + (i == d.cursorLine ? [Span("▏", .input)] : [])
                f.put(spans, x: x, y: y + row, maxWidth: w)
            }
        case .preview:
            f.put([Span("#new ", .dim), Span(d.title, .header), Span("  in \(d.project ?? "?")", .dim)], x: x, y: y, maxWidth: w)
            y += 2
            var stages: [(String, [String])] = []
            for t in d.targets where t.selected {
                if stages.last?.0 == t.environment { stages[stages.count - 1].1.append(t.database) } else { stages.append((t.environment, [t.database])) }
            }
            for (n, st) in stages.enumerated() where y < r.maxY - 4 {
                f.put([Span("Stage \(n + 1)  ", .dim), Span(st.0, .envNormal), Span("  \(st.1.joined(separator: ", "))")], x: x, y: y, maxWidth: w)
                y += 1
            }
            y += 1
            let count = d.sqlLines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            f.put("\(count) line(s) of SQL · Enter creates · Esc goes back", x: x, y: y, role: .dim, maxWidth: w)
        }
        if let e = d.error { f.put(e, x: x, y: r.maxY - 3, role: .error, maxWidth: w) }
        f.put(d.busy ? "creating…" : "Enter next · Esc back", x: x, y: r.maxY - 2, role: .dim, maxWidth: w)
    }
}

/// The `?` menu: what can be done here; refused actions stay listed with the reason.
enum HelpMenuView {
    static func draw(_ f: inout Frame, _ s: AppState, _ m: HelpMenuState, _ g: BoxGlyphs) {
        let items = Reducer(keymap: s.keymapForHints).menuItems(s)
            .filter { m.filter.isEmpty || $0.title.lowercased().contains(m.filter.lowercased()) || $0.key == m.filter }
        let r = DialogView.frameRect(s, width: 90, height: min(items.count + 6, s.size.height - 2))
        DialogView.open(&f, r, "What can be done here", g)
        f.put([Span("Filter: ", .dim), Span(m.filter + "▏", .input)], x: r.x + 2, y: r.y + 1, maxWidth: r.width - 4)
        let rows = r.height - 4
        let top = max(0, m.selected - rows + 1)
        for row in 0..<max(0, rows) {
            let i = top + row
            guard items.indices.contains(i) else { break }
            let it = items[i]
            let y = r.y + 3 + row
            var spans = [Span(" " + it.key.padding(toLength: 10, withPad: " ", startingAt: 0), it.refusal == nil ? .keyhintKey : .dim),
                         Span(it.title, it.refusal == nil ? .dialog : .dim)]
            if let why = it.refusal { spans.append(Span(" — \(why)", .dim)) }
            f.put(spans, x: r.x + 1, y: y, maxWidth: r.width - 2)
            if i == m.selected { f.restyle(x: r.x + 1, y: y, width: r.width - 2, role: .selection) }
        }
    }
}
