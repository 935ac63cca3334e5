import Foundation
import SluiceEngine

/// The one place state changes: `reduce(&state, action)` returns the effects to run.
public struct Reducer: Sendable {
    public var keymap: Keymap

    public init(keymap: Keymap = .standard) { self.keymap = keymap }

    public func reduce(_ s: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            return handleKey(&s, key)
        case .mouse(let m):
            return handleMouse(&s, m)
        case .resized(let size):
            s.size = size
            clampScroll(&s)
            return []
        case .tick:
            guard s.live, s.principal != nil else { return [] }
            return sessionsEffects(&s, refresh: true)
        case .workspaceLoaded(let snap):
            return workspaceLoaded(&s, snap)
        case .issueLoaded(let snap):
            return issueLoaded(&s, snap)
        case .issueLoadFailed(let id, let message):
            if s.selectedIssue?.id == id { s.message = StatusMessage(text: message, isError: true) }
            return []
        case let .logLoaded(task, runs, lines, reset):
            guard task == s.log.taskId else { return [] }
            if reset { s.log.lines = []; s.log.lastLineId = 0 }
            s.log.runs = runs
            // A coalesced reload may bring lines already shown.
            let fresh = lines.filter { $0.id > s.log.lastLineId }
            s.log.lines.append(contentsOf: fresh.map(LogFormatter.line))
            if let last = fresh.last { s.log.lastLineId = max(s.log.lastLineId, last.id) }
            s.log.loading = false
            return []
        case let .historyLoaded(database, records, error):
            guard database == s.history.database else { return [] }
            s.history.records = records
            s.history.error = error
            s.history.selected = max(0, records.count - 1)
            return []
        case let .sessionsLoaded(task, sessions, error):
            return sessionsLoaded(&s, task: task, sessions: sessions, error: error)
        case .workspaceChanged:
            guard s.live, s.principal != nil else { return [] }
            return refreshEffects(s)
        case let .signedIn(p, notice):
            s.principal = p
            s.dialog = nil
            s.message = StatusMessage(text: "signed in as \(p.email)" + (notice.map { "; \($0) (`sluice member password`)" } ?? ""), isError: notice != nil)
            return [.loadWorkspace]
        case .signInFailed(let message):
            if case .signIn(var d) = s.dialog {
                d.error = message; d.busy = false; d.password = ""
                s.dialog = .signIn(d)
            }
            return []
        case let .commandSucceeded(command, message, issue):
            return commandSucceeded(&s, command, message: message, issue: issue)
        case let .commandFailed(command, message):
            if case .createIssue(var d) = s.dialog, case .createIssue = command {
                d.error = message; d.busy = false
                s.dialog = .createIssue(d)
            } else {
                s.message = StatusMessage(text: message, isError: true)
            }
            return []
        case let .editorFinished(purpose, text):
            return editorFinished(&s, purpose, text: text)
        case let .themeChanged(name, error):
            s.message = StatusMessage(text: error ?? "theme \(name)", isError: error != nil)
            return []
        case .runningChanged(let held):
            return runningChanged(&s, held)
        case .quitBlocked(let held):
            s.running = held
            s.dialog = .quit
            return []
        case .shutdownFinished:
            s.quitRequested = true
            return [.quit]
        }
    }

    /// What to reload when the workspace changed: the lists, the open issue, the followed log.
    func refreshEffects(_ s: AppState) -> [Effect] {
        var effects: [Effect] = [.loadWorkspace]
        if let id = s.selectedIssue?.id { effects.append(.loadIssue(id)) }
        if s.tab == .logs, let t = s.log.taskId { effects.append(.loadLog(task: t, after: s.log.lastLineId)) }
        return effects
    }

    func workspaceLoaded(_ s: inout AppState, _ snap: WorkspaceSnapshot) -> [Effect] {
        let previousIssue = s.selectedIssue?.id
        let previousProject = s.selectedProject?.key
        s.projects = snap.projects
        s.issues = snap.issues
        s.environments = snap.environments
        s.databases = snap.databases
        s.loaded = true
        if let key = previousProject, let i = s.projects.firstIndex(where: { $0.key == key }) { s.projectIndex = i }
        s.projectIndex = min(s.projectIndex, max(0, s.projects.count - 1))
        applyFilter(&s, keeping: s.pendingIssueId ?? previousIssue)
        if let pending = s.pendingIssueId, s.selectedIssue?.id == pending { s.pendingIssueId = nil }
        if let id = s.selectedIssue?.id, id != previousIssue || s.detail == nil { return selectIssueEffects(&s, id) }
        if s.selectedIssue == nil { s.detail = nil; s.pipeline = [] }
        return []
    }

    func issueLoaded(_ s: inout AppState, _ snap: IssueSnapshot) -> [Effect] {
        guard snap.detail.issue.id == s.selectedIssue?.id else { return [] }
        let previousTask = s.selectedTask?.id
        let previousRow = s.pipeline.indices.contains(s.pipelineIndex) ? s.pipeline[s.pipelineIndex] : nil
        s.detail = snap.detail
        s.sheets.merge(snap.sheets) { _, new in new }
        s.availability = snap.availability
        s.approvalProgress = snap.approvalProgress
        s.planChecks = snap.planChecks
        s.pipeline = Reducer.pipelineRows(snap.detail)
        if let previousRow, let i = s.pipeline.firstIndex(of: previousRow) { s.pipelineIndex = i }
        s.pipelineIndex = min(s.pipelineIndex, max(0, s.pipeline.count - 1))
        // Replace the issue row too, so the list shows the fresh status at once.
        if let i = s.issues.firstIndex(where: { $0.id == snap.detail.issue.id }) { s.issues[i] = snap.detail.issue }
        var effects: [Effect] = []
        if s.selectedTask?.id != previousTask || s.log.taskId == nil { effects += tabEffects(&s) }
        // The selected task may have started or finished running.
        effects += sessionsEffects(&s, refresh: false)
        return effects
    }

    /// Stage headers followed by their tasks.
    static func pipelineRows(_ d: IssueDetail) -> [PipelineRow] {
        var rows: [PipelineRow] = []
        for (si, st) in d.stages.enumerated() {
            rows.append(.stage(si))
            for ti in st.tasks.indices { rows.append(.task(stage: si, task: ti)) }
        }
        return rows
    }

    /// Recomputes the visible issues (project and filter), keeping the selection on `keeping` if shown.
    func applyFilter(_ s: inout AppState, keeping id: Int64?) {
        let project = s.selectedProject?.key
        let needle = s.filter.text.lowercased()
        var rows: [Int] = []
        rows.reserveCapacity(s.issues.count)
        for (i, issue) in s.issues.enumerated() {
            if let project, issue.project != project { continue }
            if !needle.isEmpty, !Reducer.matches(issue, needle) { continue }
            rows.append(i)
        }
        s.visibleIssues = rows
        if let id, let i = rows.firstIndex(where: { s.issues[$0].id == id }) { s.issueIndex = i }
        s.issueIndex = min(s.issueIndex, max(0, rows.count - 1))
        clampScroll(&s)
    }

    static func matches(_ issue: Issue, _ needle: String) -> Bool {
        if issue.title.lowercased().contains(needle) { return true }
        if "#\(issue.id)".hasPrefix(needle) || "\(issue.id)" == needle { return true }
        return issue.status.rawValue.lowercased() == needle || issue.creator.lowercased().contains(needle)
    }

    /// A new issue is selected: load it; reset the per-issue views.
    func selectIssueEffects(_ s: inout AppState, _ id: Int64) -> [Effect] {
        if s.detail?.issue.id != id {
            s.detail = nil
            s.availability = nil
            s.approvalProgress = nil
            s.planChecks = nil
            s.pipeline = []
            s.pipelineIndex = 0
            s.detailScroll = 0
            s.log = LogState(wrap: s.log.wrap)
            s.history = HistoryState()
            s.sessions = SessionsState()
        }
        return [.loadIssue(id)]
    }

    /// Loads what the current tab shows for the selected task.
    func tabEffects(_ s: inout AppState) -> [Effect] {
        if s.tab != .logs { s.sessions = SessionsState() }
        switch s.tab {
        case .logs:
            guard let task = s.selectedTask else { return [] }
            var effects = sessionsEffects(&s, refresh: false)
            if s.log.taskId != task.id {
                s.log = LogState(taskId: task.id, wrap: s.log.wrap)
                s.log.loading = true
                effects.insert(.loadLog(task: task.id, after: 0), at: 0)
            }
            return effects
        case .history:
            guard let task = s.selectedTask else { return [] }
            if s.history.database != task.database {
                s.history = HistoryState(database: task.database)
                return [.loadHistory(database: task.database)]
            }
            return []
        default:
            return []
        }
    }

    /// Keeps the selected issue row inside the visible window.
    func clampScroll(_ s: inout AppState) {
        let rows = max(1, s.layout.issues.height - 2)
        if s.issueIndex < s.issueTop { s.issueTop = s.issueIndex }
        if s.issueIndex >= s.issueTop + rows { s.issueTop = s.issueIndex - rows + 1 }
        s.issueTop = max(0, min(s.issueTop, max(0, s.visibleIssues.count - rows)))
    }

    func commandSucceeded(_ s: inout AppState, _ command: EngineCommand, message: String, issue: Int64?) -> [Effect] {
        s.message = StatusMessage(text: message, isError: false)
        if case .createIssue = command {
            s.dialog = nil
            s.filter = FilterState()
            s.pendingIssueId = issue
            if let issue, let i = s.issues.firstIndex(where: { $0.id == issue }) {
                applyFilter(&s, keeping: s.issues[i].id)
            }
            return [.loadWorkspace]
        }
        return refreshEffects(s)
    }

    func editorFinished(_ s: inout AppState, _ purpose: EditorPurpose, text: String?) -> [Effect] {
        guard let text else {
            s.message = StatusMessage(text: "editor closed without changes", isError: false)
            return []
        }
        switch purpose {
        case .newIssueSQL:
            if case .createIssue(var d) = s.dialog {
                d.sqlLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                while d.sqlLines.count > 1, d.sqlLines.last == "" { d.sqlLines.removeLast() }
                d.cursorLine = d.sqlLines.count - 1
                s.dialog = .createIssue(d)
            }
            return []
        case let .editSpec(issue, spec):
            return [.perform(.editSQL(issue: issue, spec: spec, sql: text))]
        }
    }
}
