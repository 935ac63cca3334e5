import Foundation
import SluiceEngine

extension Reducer {
    func handleKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        if key == .ctrl("c") { return quitEffects(&s) }
        // While leaving, q leaves at once too; everything else still works.
        if s.shutdown != nil, s.dialog == nil, s.commandLine == nil, !s.filter.editing, keymap.command(for: key) == .quit { return quitEffects(&s) }
        if s.dialog != nil { return dialogKey(&s, key) }
        if s.commandLine != nil { return commandLineKey(&s, key) }
        if s.filter.editing { return filterKey(&s, key) }
        if s.principal == nil {
            s.dialog = .signIn(SignInDialog(hint: s.signInHint))
            return []
        }
        guard let command = keymap.command(for: key) else { return [] }
        return run(&s, command)
    }

    /// Runs a command as if its key was pressed (also from the `?` menu).
    func run(_ s: inout AppState, _ command: Command) -> [Effect] {
        s.message = nil
        switch command {
        case .down: return move(&s, by: 1)
        case .up: return move(&s, by: -1)
        case .pageDown: return move(&s, by: pageSize(s))
        case .pageUp: return move(&s, by: -pageSize(s))
        case .top: return move(&s, by: Int.min / 2)
        case .bottom:
            if s.focus == .detail && s.tab == .logs { s.log.follow = true; return [] }
            return move(&s, by: Int.max / 2)
        case .nextPane: s.focus = cycle(s.focus, 1); return []
        case .prevPane: s.focus = cycle(s.focus, -1); return []
        case .paneLeft: if s.focus == .detail { s.focus = .issues }; return []
        case .paneRight: s.focus = .detail; return []
        case .projectsPane: s.focus = .projects; return []
        case .issuesPane: s.focus = .issues; return []
        case .pipelinePane: s.focus = .pipeline; return []
        case .detailPane: s.focus = .detail; return []
        case .nextTab: return switchTab(&s, by: 1)
        case .prevTab: return switchTab(&s, by: -1)
        case .open:
            switch s.focus {
            case .projects: s.focus = .issues
            case .issues: s.focus = .pipeline
            case .pipeline:
                s.focus = .detail
                s.tab = .logs
                return tabEffects(&s)
            case .detail: break
            }
            return []
        case .back:
            if !s.filter.text.isEmpty {
                s.filter.text = ""
                applyFilter(&s, keeping: s.selectedIssue?.id)
                return s.selectedIssue.map { selectIssueEffects(&s, $0.id) } ?? []
            }
            if s.focus == .detail { s.focus = .pipeline } else if s.focus == .pipeline { s.focus = .issues }
            return []
        case .quit:
            return quitEffects(&s)
        case .filter:
            s.filter.editing = true
            s.focus = .issues
            return []
        case .searchNext: return search(&s, forward: true)
        case .searchPrev: return search(&s, forward: false)
        case .commandLine:
            s.commandLine = CommandLineState()
            return []
        case .help:
            s.dialog = .help(HelpMenuState())
            return []
        case .refresh:
            s.message = StatusMessage(text: "refreshed", isError: false)
            return refreshEffects(s)
        case .pauseLive:
            s.live.toggle()
            s.message = StatusMessage(text: s.live ? "live updates resumed" : "live updates paused (p resumes)", isError: false)
            return s.live ? refreshEffects(s) : []
        case .follow:
            s.log.follow = true
            if s.tab != .logs { s.tab = .logs; return tabEffects(&s) }
            return []
        case .wrap:
            s.log.wrap.toggle()
            return []
        case .copy:
            return copyEffects(&s)
        case .approve, .reject, .rerequest, .editSQL, .newIssue, .comment, .resolve, .runChecks, .runStage, .retryTask, .skipTask, .cancelRun:
            return issueCommand(&s, command)
        }
    }

    func pageSize(_ s: AppState) -> Int { max(1, s.layout.rect(for: s.focus).height - 3) }

    func cycle(_ pane: Pane, _ step: Int) -> Pane {
        let order: [Pane] = [.projects, .issues, .pipeline, .detail]
        let i = order.firstIndex(of: pane) ?? 0
        return order[(i + step + order.count) % order.count]
    }

    func switchTab(_ s: inout AppState, by step: Int) -> [Effect] {
        let all = DetailTab.allCases
        s.tab = all[(s.tab.rawValue + step + all.count) % all.count]
        s.detailScroll = 0
        return tabEffects(&s)
    }

    static func clamp(_ v: Int, _ count: Int) -> Int { max(0, min(v, count - 1)) }

    func move(_ s: inout AppState, by delta: Int) -> [Effect] {
        switch s.focus {
        case .projects:
            guard !s.projects.isEmpty else { return [] }
            let old = s.projectIndex
            s.projectIndex = Reducer.clamp(s.projectIndex &+ delta, s.projects.count)
            guard old != s.projectIndex else { return [] }
            s.issueIndex = 0
            applyFilter(&s, keeping: nil)
            return s.selectedIssue.map { selectIssueEffects(&s, $0.id) } ?? []
        case .issues:
            guard !s.visibleIssues.isEmpty else { return [] }
            let old = s.issueIndex
            s.issueIndex = Reducer.clamp(s.issueIndex &+ delta, s.visibleIssues.count)
            clampScroll(&s)
            guard old != s.issueIndex, let id = s.selectedIssue?.id else { return [] }
            return selectIssueEffects(&s, id)
        case .pipeline:
            guard !s.pipeline.isEmpty else { return [] }
            s.pipelineIndex = Reducer.clamp(s.pipelineIndex &+ delta, s.pipeline.count)
            return tabEffects(&s)
        case .detail:
            if s.tab == .logs {
                let panel = s.selectedTask.map { SessionsPanel.height(s, $0, height: s.layout.detail.height - 5) } ?? 0
                let visible = max(1, s.layout.detail.height - 4 - panel)
                let maxTop = max(0, s.log.lines.count - visible)
                let current = s.log.follow ? maxTop : s.log.top
                if delta < 0 {
                    s.log.follow = false
                    s.log.top = max(0, current &+ delta)
                } else {
                    s.log.top = min(maxTop, current &+ delta)
                    if s.log.top >= maxTop { s.log.follow = true }
                }
            } else if s.tab == .history {
                s.history.selected = Reducer.clamp(s.history.selected &+ delta, s.history.records.count)
            } else {
                s.detailScroll = max(0, s.detailScroll &+ delta)
                if delta == Int.min / 2 { s.detailScroll = 0 }
            }
            return []
        }
    }

    func search(_ s: inout AppState, forward: Bool) -> [Effect] {
        let needle = s.filter.text.lowercased()
        guard !needle.isEmpty, !s.visibleIssues.isEmpty else { return [] }
        // With a filter applied every row matches: n/N step through them, wrapping.
        let count = s.visibleIssues.count
        s.issueIndex = (s.issueIndex + (forward ? 1 : -1) + count) % count
        clampScroll(&s)
        return s.selectedIssue.map { selectIssueEffects(&s, $0.id) } ?? []
    }

    func filterKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .esc:
            s.filter = FilterState()
        case .enter:
            s.filter.editing = false
        case .backspace:
            if !s.filter.text.isEmpty { s.filter.text.removeLast() }
        case .char(let c):
            s.filter.text.append(c)
        default:
            return []
        }
        applyFilter(&s, keeping: s.selectedIssue?.id)
        guard let id = s.selectedIssue?.id, id != s.detail?.issue.id else { return [] }
        return selectIssueEffects(&s, id)
    }

    func handleMouse(_ s: inout AppState, _ m: MouseEvent) -> [Effect] {
        guard s.dialog == nil, s.principal != nil else { return [] }
        let layout = s.layout
        guard let pane = layout.pane(at: m.x, m.y) else { return [] }
        switch m.kind {
        case .wheelUp, .wheelDown:
            s.focus = pane
            return move(&s, by: m.kind == .wheelUp ? -3 : 3)
        case .click:
            s.focus = pane
            let r = layout.rect(for: pane)
            let row = m.y - r.y - 1
            switch pane {
            case .projects: return row >= 0 ? move(&s, by: row - s.projectIndex) : []
            case .issues: return row >= 0 ? move(&s, by: s.issueTop + row - s.issueIndex) : []
            case .pipeline: return row >= 0 ? move(&s, by: PipelinePane.top(s, rows: r.height - 2) + row - s.pipelineIndex) : []
            case .detail:
                // A click on the tab row picks a tab.
                if m.y == r.y + 1, let tab = DetailView.tab(atColumn: m.x - r.x - 1, width: r.width - 2, active: s.tab) {
                    s.tab = tab
                    return tabEffects(&s)
                }
                return []
            }
        }
    }

    func copyEffects(_ s: inout AppState) -> [Effect] {
        let text: String
        switch (s.focus, s.tab) {
        case (.detail, .sql):
            text = s.detail?.specs.compactMap { s.sheets[$0.sheetId] }.joined(separator: "\n") ?? ""
        case (.detail, .logs):
            text = s.log.lines.map { "\($0.time) \($0.text)" }.joined(separator: "\n")
        case (.pipeline, _):
            text = s.selectedTask.map { "task #\($0.id) \($0.database) \($0.status.rawValue)" } ?? ""
        default:
            text = s.selectedIssue.map { "#\($0.id) \($0.title)" } ?? ""
        }
        guard !text.isEmpty else { return [] }
        s.message = StatusMessage(text: "copied \(text.count) characters", isError: false)
        return [.copy(text)]
    }
}
