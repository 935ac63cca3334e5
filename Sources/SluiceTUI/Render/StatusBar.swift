import SluiceEngine

/// The bottom line: who, where, live or paused, then the message of the moment or the keys that apply here.
enum StatusBar {
    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        f.fill(x: r.x, y: r.y, width: r.width, height: 1, role: .statusbar)
        if let c = s.commandLine {
            var x = f.put([Span(":", .keyhintKey), Span(c.text, .input), Span("▏", .input)], x: r.x, y: r.y, maxWidth: r.width)
            if !c.completions.isEmpty {
                x += 2
                f.put(c.completions.prefix(8).joined(separator: "  "), x: x, y: r.y, role: .dim, maxWidth: r.maxX - x)
            }
            return
        }
        // Leaving while tasks run: what happens now and what ctrl-c does, before anything else.
        if let leaving = Reducer.shutdownStatus(s) {
            f.put(" " + leaving, x: r.x, y: r.y, role: .message, maxWidth: r.width)
            return
        }
        var spans: [Span] = [Span(" \(s.principal?.email ?? "not signed in")", .statusbar), Span(" · \(s.workspaceName) · ", .dim)]
        spans.append(s.live ? Span("live ●", .live) : Span("paused ‖", .paused))
        var x = f.put(spans, x: r.x, y: r.y, maxWidth: r.width) + 2
        if let m = s.message {
            f.put(m.text, x: x, y: r.y, role: m.isError ? .error : .message, maxWidth: r.maxX - x)
            return
        }
        for (key, label) in hints(s) {
            let w = DisplayWidth.of(key) + DisplayWidth.of(label) + 3
            guard x + w <= r.maxX else { break }
            x = f.put(key, x: x, y: r.y, role: .keyhintKey)
            x = f.put(" \(label)  ", x: x, y: r.y, role: .keyhintText)
        }
    }

    /// The keys that apply here, as (key, label), most useful first.
    static func hints(_ s: AppState) -> [(String, String)] {
        let k = s.keymapForHints
        var commands: [Command] = []
        if s.filter.editing { return [("Enter", "keep filter"), ("Esc", "clear")] }
        switch s.focus {
        case .projects, .issues:
            commands = [.approve, .reject, .runStage, .newIssue, .filter]
        case .pipeline:
            commands = [.open, .runStage, .retryTask, .skipTask, .cancelRun]
        case .detail:
            switch s.tab {
            case .logs: commands = [.follow, .wrap, .nextTab, .runStage]
            case .approvals: commands = [.approve, .reject, .rerequest, .nextTab]
            case .checks: commands = [.runChecks, .approve, .reject, .nextTab]
            default: commands = [.approve, .reject, .runStage, .nextTab]
            }
        }
        commands += [.help, .commandLine, .quit]
        return commands.map { (k.label($0), $0.hint) }
    }
}

extension AppState {
    /// The keymap whose keys the hints show (the default unless the app installed another).
    var keymapForHints: Keymap { hintKeymap ?? .standard }
}
