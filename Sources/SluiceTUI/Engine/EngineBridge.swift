import Foundation
import SluiceEngine

/// Runs effects against the engine off the UI thread and sends the results back as actions.
/// Loads of the same thing are coalesced while queued, so a burst of changes costs one reload.
public final class EngineBridge: @unchecked Sendable {
    public let workspace: Workspace
    private let lock = NSLock()
    private var principal: Principal?
    private var queued: [Effect] = []
    private var inFlight = 0
    private let lists = DispatchQueue(label: "sluice.tui.lists")
    private let details = DispatchQueue(label: "sluice.tui.details")
    /// Sessions come from a database server, which may be slow: never in front of issue loads.
    private let servers = DispatchQueue(label: "sluice.tui.servers")
    private let send: @Sendable (Action) -> Void
    /// Called after a sign-in succeeds (the CLI saves a session).
    public var onSignIn: (@Sendable (Principal) -> Void)?
    /// Called after a command queued task runs, to wake the in-process scheduler at once.
    public var onRunsQueued: (@Sendable () -> Void)?

    public init(workspace: Workspace, principal: Principal?, send: @escaping @Sendable (Action) -> Void) {
        self.workspace = workspace
        self.principal = principal
        self.send = send
    }

    /// Effects started and not yet answered.
    public var busy: Bool { lock.withLock { inFlight > 0 } }

    public func execute(_ effect: Effect) {
        let queue: DispatchQueue
        switch effect {
        case .loadWorkspace: queue = lists
        // Plan checks connect to every target and dry-run the SQL: they may take seconds.
        case .loadSessions, .perform(.runChecks): queue = servers
        case .loadIssue, .loadLog, .loadHistory, .perform, .signIn: queue = details
        case .openEditor, .copy, .quit, .setTheme, .shutdown: return // the app handles these on the UI thread
        }
        let coalesce: Bool
        switch effect { case .perform, .signIn: coalesce = false; default: coalesce = true }
        let skip: Bool = lock.withLock {
            if coalesce && queued.contains(effect) { return true }
            queued.append(effect)
            inFlight += 1
            return false
        }
        if skip { return }
        queue.async { [self] in
            lock.withLock { if let i = queued.firstIndex(of: effect) { queued.remove(at: i) } }
            let action = perform(effect)
            if let action { send(action) }
            lock.withLock { inFlight -= 1 }
        }
    }

    private var actor: Principal? { lock.withLock { principal } }

    private func perform(_ effect: Effect) -> Action? {
        let ws = workspace
        switch effect {
        case .loadWorkspace:
            guard let p = actor else { return nil }
            do {
                return .workspaceLoaded(WorkspaceSnapshot(projects: try ws.projects(), issues: try ws.issues(by: p),
                                                          environments: try ws.environments(), databases: try ws.databases()))
            } catch { return .commandFailed(.comment(issue: 0, text: ""), message: "cannot load the workspace: \(EngineBridge.text(error))") }
        case .loadIssue(let id):
            guard let p = actor else { return nil }
            do {
                let detail = try ws.issueDetail(id, by: p)
                var sheets: [Int64: String] = [:]
                for spec in detail.specs where sheets[spec.sheetId] == nil { sheets[spec.sheetId] = try? ws.sheet(spec.sheetId) }
                return .issueLoaded(IssueSnapshot(detail: detail, sheets: sheets, availability: try? ws.availability(issue: id, by: p),
                                                  approvalProgress: try? ws.approvalProgress(issue: id, for: p),
                                                  planChecks: try? ws.planChecks(issue: id, by: p)))
            } catch { return .issueLoadFailed(id, EngineBridge.text(error)) }
        case let .loadLog(task, after):
            guard let p = actor else { return nil }
            do {
                let log = try ws.taskLog(task: task, by: p, after: after)
                return .logLoaded(task: task, runs: log.runs, lines: log.lines, reset: after == 0)
            } catch { return .logLoaded(task: task, runs: [], lines: [], reset: after == 0) }
        case .loadHistory(let database):
            guard let p = actor else { return nil }
            do {
                let ref = try DatabaseRef(parsing: database)
                return .historyLoaded(database: database, records: try ws.history(ref, by: p), error: nil)
            } catch { return .historyLoaded(database: database, records: [], error: EngineBridge.text(error)) }
        case .loadSessions(let task):
            guard let p = actor else { return nil }
            do {
                return .sessionsLoaded(task: task, sessions: try ws.sessions(task: task, by: p), error: nil)
            } catch { return .sessionsLoaded(task: task, sessions: [], error: EngineBridge.text(error)) }
        case let .signIn(email, password):
            do {
                let result = try ws.signIn(email: email, password: password, source: SignInSource.localUser)
                let p = result.principal
                lock.withLock { principal = p }
                onSignIn?(p)
                return .signedIn(p, notice: result.notice)
            } catch { return .signInFailed(EngineBridge.text(error)) }
        case .perform(let command):
            guard let p = actor else { return .commandFailed(command, message: "not signed in") }
            do {
                let (message, issue) = try run(command, as: p)
                return .commandSucceeded(command, message: message, issue: issue)
            } catch { return .commandFailed(command, message: EngineBridge.text(error)) }
        case .openEditor, .copy, .quit, .setTheme, .shutdown:
            return nil
        }
    }

    private func run(_ c: EngineCommand, as p: Principal) throws -> (String, Int64?) {
        let ws = workspace
        switch c {
        case let .approve(id, comment):
            let i = try ws.approve(by: p, issue: id, comment: comment)
            onRunsQueued?()
            return ("approved #\(id) (approval \(i.approvalStatus.rawValue))", id)
        case let .reject(id, comment):
            _ = try ws.reject(by: p, issue: id, comment: comment)
            return ("rejected #\(id)", id)
        case .rerequest(let id):
            _ = try ws.rerequest(by: p, issue: id)
            return ("review of #\(id) re-requested", id)
        case let .runStage(id, env):
            let tasks = try ws.runStage(by: p, issue: id, environment: env)
            onRunsQueued?()
            return ("stage \(tasks.first?.environment ?? env ?? "") of #\(id) started: \(tasks.count) task(s)", id)
        case .retry(let task):
            let t = try ws.retryTask(by: p, task: task)
            onRunsQueued?()
            return ("task #\(task) queued again", t.issueId)
        case let .skip(task, reason):
            let t = try ws.skipTask(by: p, task: task, reason: reason)
            onRunsQueued?()
            return ("task #\(task) skipped", t.issueId)
        case .cancel(let task):
            let t = try ws.cancelTask(by: p, task: task)
            return ("cancel of task #\(task) requested", t.issueId)
        case .runChecks(let id):
            let checks = try ws.runPlanChecks(by: p, issue: id)
            let count = { (status: PlanCheckStatus) in checks.filter { $0.status == status }.count }
            return (checks.isEmpty ? "#\(id): no task is waiting to run, nothing to check"
                    : "plan checks of #\(id): \(count(.error)) ERROR, \(count(.warning)) WARNING, \(count(.success)) SUCCESS", id)
        case let .comment(id, text):
            _ = try ws.comment(by: p, issue: id, text: text)
            return ("comment added to #\(id)", id)
        case .resolve(let id):
            _ = try ws.setIssueStatus(by: p, issue: id, to: .done)
            return ("#\(id) resolved", id)
        case let .createIssue(project, title, sql, databases):
            let refs = try databases.map { try DatabaseRef(parsing: $0) }
            let issue = try ws.createIssue(by: p, project: project, title: title,
                                           plan: .targets(sql: sql, databases: refs, labels: [:], type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
            onRunsQueued?()
            return ("created #\(issue.id) \(issue.title)", issue.id)
        case let .editSQL(id, spec, sql):
            _ = try ws.editSQL(by: p, issue: id, spec: spec, sql: sql)
            return ("SQL of #\(id) changed; approvals reset", id)
        }
    }

    /// An error as one line a person reads.
    static func text(_ error: any Error) -> String {
        if let e = error as? SluiceError { return e.hint.map { "\(e.message). \($0)" } ?? e.message }
        return "\(error)"
    }
}
