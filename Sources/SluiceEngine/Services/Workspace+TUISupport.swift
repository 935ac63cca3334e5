import Foundation
import GRDB

/// Whether each issue and task action is open to a member right now, and if not, the engine's
/// reason: the message the action itself would fail with. Front ends use it to keep refused
/// actions listed with why; the engine still checks on every call.
public struct IssueActionAvailability: Sendable, Equatable {
    /// The task actions of one task; nil: allowed, otherwise why not.
    public struct TaskActions: Sendable, Equatable {
        public var retry: String?
        public var skip: String?
        public var cancel: String?
        public init(retry: String? = nil, skip: String? = nil, cancel: String? = nil) {
            self.retry = retry; self.skip = skip; self.cancel = cancel
        }
    }

    /// nil: allowed; otherwise why not.
    public var approve: String?
    public var reject: String?
    public var rerequest: String?
    /// Running the next unfinished stage (`runStage` without an environment).
    public var runStage: String?
    /// The stage `runStage` would start, when there is one.
    public var nextStage: String?
    public var resolve: String?
    public var comment: String?
    /// Running the plan checks again.
    public var runChecks: String?
    /// Editing the SQL of each spec, by spec id (a missing id is not a spec of the issue).
    public var editSQL: [String: String?] = [:]
    /// By task id.
    public var tasks: [Int64: TaskActions] = [:]

    public init() {}
}

extension Workspace {
    /// Runs the engine's own checks of every issue and task action (`Workspace+ActionChecks`)
    /// without changing anything.
    public func availability(issue id: Int64, by actor: Principal) throws -> IssueActionAvailability {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            var a = IssueActionAvailability()
            a.approve = try refusal { _ = try checkApproval(db, issue, actor, to: "approve issues") }
            a.reject = try refusal { _ = try checkApproval(db, issue, actor, to: "reject issues") }
            a.rerequest = try refusal { try checkRerequest(db, issue, actor) }
            a.runStage = try refusal { a.nextStage = try checkRunStage(db, issue, actor, environment: nil).environment }
            if a.nextStage == nil {
                a.nextStage = try String.fetchOne(db, sql: """
                    SELECT st.environment FROM stage st WHERE st.issue = ?
                    AND EXISTS (SELECT 1 FROM task t WHERE t.stage = st.id AND t.status NOT IN ('DONE', 'SKIPPED'))
                    ORDER BY st.position LIMIT 1
                    """, arguments: [id])
            }
            a.resolve = try refusal { try checkStatusChange(db, issue, actor) }
            a.comment = try refusal { try checkComment(db, issue, actor) }
            a.runChecks = try refusal { try checkRunPlanChecks(db, issue, actor) }
            for spec in try String.fetchAll(db, sql: "SELECT specId FROM planSpec WHERE issue = ? ORDER BY stage, position", arguments: [id]) {
                a.editSQL[spec] = try refusal { _ = try checkEditSQL(db, issue, actor, spec: spec) }
            }
            for row in try Row.fetchAll(db, sql: Workspace.taskRowSelect + " WHERE t.issue = ?", arguments: [id]) {
                a.tasks[row["id"]] = IssueActionAvailability.TaskActions(
                    retry: try refusal { try checkRetry(db, row, actor) },
                    skip: try refusal { try checkSkip(db, row, actor) },
                    cancel: try refusal { _ = try checkCancel(db, row, actor) })
            }
            return a
        }
    }

    /// nil when the check passes; the message of the error a person would see when it refuses.
    private func refusal(_ check: () throws -> Void) throws -> String? {
        do {
            try check()
            return nil
        } catch let e as SluiceError where e.kind != .failure {
            return e.message
        }
    }

    /// The databases an issue could target, per environment in environment order (for pickers).
    public func databasesByEnvironment() throws -> [(environment: Environment, databases: [TargetDatabase])] {
        let envs = try environments()
        let dbs = try databases()
        return envs.map { env in (env, dbs.filter { $0.environment == env.name }) }
    }
}
