import Foundation
import SluiceEngine

/// An entry of the `?` menu: a command, its key, and why it is refused (nil when allowed).
public struct MenuItem: Equatable, Sendable {
    public var command: Command
    public var key: String
    public var title: String
    public var refusal: String?
}

extension Reducer {
    /// What can be done here, in the order the `?` menu lists it.
    public func menuItems(_ s: AppState) -> [MenuItem] {
        var commands: [Command] = []
        if s.selectedIssue != nil {
            commands += [.approve, .reject, .rerequest, .runStage]
            if s.selectedTask != nil { commands += [.retryTask, .skipTask, .cancelRun] }
            commands += [.comment, .editSQL, .runChecks, .resolve]
        }
        commands += [.newIssue, .follow, .wrap, .filter, .commandLine, .nextTab, .prevTab, .refresh, .pauseLive, .copy, .quit]
        return commands.map { c in
            MenuItem(command: c, key: keymap.label(c), title: c.summary, refusal: refusal(s, c))
        }
    }

    /// The engine's reason a command is refused here, or nil.
    func refusal(_ s: AppState, _ c: Command) -> String? {
        let a = s.availability
        let task = s.selectedTask
        switch c {
        case .approve, .reject, .rerequest, .runStage, .comment, .editSQL, .resolve, .runChecks:
            guard s.selectedIssue != nil else { return "no issue selected" }
            guard let a else { return "loading…" }
            switch c {
            case .approve: return a.approve
            case .reject: return a.reject
            case .rerequest: return a.rerequest
            case .runStage: return a.runStage
            case .comment: return a.comment
            case .runChecks: return a.runChecks
            case .editSQL:
                guard let spec = specForEditing(s) else { return "this issue has no SQL to edit" }
                return a.editSQL[spec.id] ?? "loading…"
            default: return a.resolve
            }
        case .retryTask, .skipTask, .cancelRun:
            guard let task else { return "no task selected" }
            guard let t = a?.tasks[task.id] else { return "loading…" }
            return c == .retryTask ? t.retry : c == .skipTask ? t.skip : t.cancel
        default:
            return nil
        }
    }

    func issueCommand(_ s: inout AppState, _ c: Command) -> [Effect] {
        if c == .newIssue { return openCreateIssue(&s) }
        if let reason = refusal(s, c) {
            s.message = StatusMessage(text: "\(c.hint): \(reason)", isError: true)
            return []
        }
        guard let issue = s.selectedIssue else { return [] }
        let id = issue.id
        switch c {
        case .approve:
            s.dialog = .input(InputDialog(title: "Approve #\(id)", prompt: "Comment (optional), Enter approves", purpose: .approve(issue: id), optional: true))
        case .reject:
            s.dialog = .input(InputDialog(title: "Reject #\(id)", prompt: "Why? (a comment is required)", purpose: .reject(issue: id)))
        case .comment:
            s.dialog = .input(InputDialog(title: "Comment on #\(id)", prompt: "Comment", purpose: .comment(issue: id)))
        case .rerequest:
            return [.perform(.rerequest(issue: id))]
        case .runChecks:
            s.message = StatusMessage(text: "running the plan checks of #\(id)…", isError: false)
            return [.perform(.runChecks(issue: id))]
        case .resolve:
            s.dialog = .confirm(ConfirmDialog(title: "Resolve #\(id)?", text: "Mark \"\(issue.title)\" DONE.", command: .resolve(issue: id)))
        case .runStage:
            let env = s.availability?.nextStage
            let protected = s.environments.first { $0.name == env }?.protected ?? false
            let count = s.detail?.stages.first { $0.stage.environment == env }?.tasks.count ?? 0
            var d = ConfirmDialog(title: "Roll out #\(id) to \(env ?? "the next stage")?",
                                  text: "\(count) task(s) will run on \(env ?? "?")\(protected ? ", a protected environment" : "").",
                                  command: .runStage(issue: id, environment: env))
            if protected { d.typeToConfirm = env }
            s.dialog = .confirm(d)
        case .retryTask:
            guard let t = s.selectedTask else { return [] }
            s.dialog = .confirm(ConfirmDialog(title: "Retry task #\(t.id)?", text: "A new attempt on \(t.database) (\(t.environment)).", command: .retry(task: t.id)))
        case .skipTask:
            guard let t = s.selectedTask else { return [] }
            s.dialog = .input(InputDialog(title: "Skip task #\(t.id) on \(t.database)", prompt: "Reason (required)", purpose: .skip(task: t.id)))
        case .cancelRun:
            guard let t = s.selectedTask else { return [] }
            s.dialog = .confirm(ConfirmDialog(title: "Cancel task #\(t.id)?", text: "Stop the run on \(t.database).", command: .cancel(task: t.id)))
        case .editSQL:
            guard let spec = specForEditing(s) else {
                s.message = StatusMessage(text: "no spec of this issue can still be edited", isError: true)
                return []
            }
            return [.openEditor(.editSpec(issue: id, spec: spec.id), initial: s.sheets[spec.sheetId] ?? "")]
        default:
            break
        }
        return []
    }

    /// The spec of the task under the Pipeline cursor, else the first spec whose tasks have not run.
    func specForEditing(_ s: AppState) -> PlanSpec? {
        guard let d = s.detail else { return nil }
        if s.pipeline.indices.contains(s.pipelineIndex), case let .task(si, ti) = s.pipeline[s.pipelineIndex],
           let spec = d.specs.first(where: { $0.id == d.stages[si].tasks[ti].specId }) { return spec }
        let started = Set(d.stages.flatMap(\.tasks).filter { $0.status != .notStarted }.map(\.specId))
        return d.specs.first { !started.contains($0.id) } ?? d.specs.first
    }

    func openCreateIssue(_ s: inout AppState) -> [Effect] {
        var d = CreateIssueDialog(projects: s.projects.map(\.key))
        d.projectIndex = s.projectIndex
        for env in s.environments {
            for db in s.databases where db.environment == env.name {
                d.targets.append(.init(environment: env.name, database: db.ref.description, selected: true))
            }
        }
        s.dialog = .createIssue(d)
        return []
    }
}
