import Foundation
import GRDB

/// The checks of the issue and task actions, each written once: the action calls it inside its
/// write transaction, and `availability(issue:by:)` calls the same function in a read to tell
/// front ends what is allowed, so the two cannot drift. Each throws the error the action throws.
extension Workspace {
    /// Approve or reject: the issue is open, has a pending step, and the actor holds that step's
    /// role and is not the creator (unless the project allows self-approval).
    func checkApproval(_ db: Database, _ issue: Issue, _ actor: Principal, to action: String) throws -> (position: Int, role: String) {
        try require(.issuesGet, actor, project: issue.project, to: action, db)
        let (position, role) = try currentApprovalStep(db, issue: issue)
        try requireApprover(db, issue: issue, actor: actor, role: role)
        return (position, role)
    }

    /// Re-request review: only the creator, only of an open issue that was rejected.
    func checkRerequest(_ db: Database, _ issue: Issue, _ actor: Principal) throws {
        try require(.issuesUpdate, actor, project: issue.project, to: "re-request review", db)
        guard issue.status == .open else { throw SluiceError.precondition("issue #\(issue.id) is \(issue.status.rawValue)") }
        guard issue.approvalStatus == .rejected else {
            throw SluiceError.precondition("issue #\(issue.id) is not rejected (approval \(issue.approvalStatus.rawValue))")
        }
        guard actor.email.lowercased() == issue.creator.lowercased() || actor == .system else {
            throw SluiceError.precondition("only the creator (\(issue.creator)) can re-request review of issue #\(issue.id)")
        }
    }

    /// Run a stage (the named one, else the first unfinished): approved, earlier stages finished,
    /// the environment's rollout policy, and tasks waiting to start. Returns the stage and those tasks.
    func checkRunStage(_ db: Database, _ issue: Issue, _ actor: Principal, environment: String?) throws -> (environment: String, tasks: [Int64]) {
        let id = issue.id
        try require(.rolloutsRun, actor, project: issue.project, to: "roll out", db)
        guard issue.status == .open else { throw SluiceError.precondition("issue #\(id) is \(issue.status.rawValue)") }
        guard issue.approvalStatus.allowsRollout else {
            throw SluiceError.precondition("issue #\(id) is not approved (approval \(issue.approvalStatus.rawValue))",
                                           hint: "It rolls out once every step of its approval flow has approved.")
        }
        let stages = try Row.fetchAll(db, sql: """
            SELECT st.id, st.position, st.environment,
                   (SELECT COUNT(*) FROM task t WHERE t.stage = st.id AND t.status NOT IN ('DONE', 'SKIPPED')) AS open
            FROM stage st WHERE st.issue = ? ORDER BY st.position
            """, arguments: [id])
        let target: Row
        if let environment {
            guard let s = stages.first(where: { $0["environment"] == environment }) else {
                throw SluiceError.notFound("issue #\(id) has no stage for environment \(environment)")
            }
            target = s
        } else {
            guard let s = stages.first(where: { ($0["open"] as Int) > 0 }) else {
                throw SluiceError.precondition("every stage of issue #\(id) is finished")
            }
            target = s
        }
        let position: Int = target["position"]
        let env: String = target["environment"]
        if let unfinished = stages.first(where: { ($0["position"] as Int) < position && ($0["open"] as Int) > 0 }) {
            throw SluiceError.precondition("stage \(unfinished["environment"] as String) is not finished",
                                           hint: "Every task of an earlier stage must be DONE or SKIPPED first (retry or skip failed ones).")
        }
        try requireRolloutRole(db, actor: actor, project: issue.project, environment: env, to: "roll out", permission: .rolloutsRun)
        let notStarted = try Int64.fetchAll(db, sql: "SELECT id FROM task WHERE stage = ? AND status = 'NOT_STARTED' ORDER BY position",
                                            arguments: [target["id"] as Int64])
        guard !notStarted.isEmpty else {
            throw SluiceError.precondition("stage \(env) of issue #\(id) has no task waiting to start",
                                           hint: "Failed or canceled tasks are retried one by one with `sluice task retry TASK`.")
        }
        return (env, notStarted)
    }

    /// Retry a task (a row of `fetchTaskRow`): FAILED or CANCELED, issue open and approved, rollout policy.
    func checkRetry(_ db: Database, _ row: Row, _ actor: Principal) throws {
        let id: Int64 = row["id"]
        let project: String = row["project"]
        try require(.rolloutsRun, actor, project: project, to: "retry tasks", db)
        let status = TaskStatus(rawValue: row["status"]) ?? .notStarted
        guard status == .failed || status == .canceled else {
            throw SluiceError.precondition("task #\(id) is \(status.rawValue); only FAILED or CANCELED tasks can be retried")
        }
        guard row["issueStatus"] == IssueStatus.open.rawValue else { throw SluiceError.precondition("issue #\(row["issue"] as Int64) is not open") }
        let approval = ApprovalStatus(rawValue: row["approvalStatus"]) ?? .pending
        guard approval.allowsRollout else {
            throw SluiceError.precondition("issue #\(row["issue"] as Int64) is not approved (approval \(approval.rawValue))",
                                           hint: "It rolls out once every step of its approval flow has approved.")
        }
        try requireRolloutRole(db, actor: actor, project: project, environment: row["environment"], to: "retry tasks", permission: .rolloutsRun)
    }

    /// Skip a task: not started, FAILED or CANCELED, of an open issue; rollout policy.
    func checkSkip(_ db: Database, _ row: Row, _ actor: Principal) throws {
        let id: Int64 = row["id"]
        try require(.tasksSkip, actor, project: row["project"], to: "skip tasks", db)
        try requireRolloutRole(db, actor: actor, project: row["project"], environment: row["environment"], to: "skip tasks", permission: .tasksSkip)
        let status = TaskStatus(rawValue: row["status"]) ?? .notStarted
        guard status == .notStarted || status == .failed || status == .canceled else {
            throw SluiceError.precondition("task #\(id) is \(status.rawValue); only tasks not started, FAILED or CANCELED can be skipped",
                                           hint: status == .pending || status == .running ? "Cancel it first with `sluice task cancel \(id)`." : nil)
        }
        guard row["issueStatus"] == IssueStatus.open.rawValue else { throw SluiceError.precondition("issue #\(row["issue"] as Int64) is not open") }
    }

    /// Cancel a task's run: its latest run is PENDING or RUNNING; rollout policy. Returns that run.
    func checkCancel(_ db: Database, _ row: Row, _ actor: Principal) throws -> (run: Int64, status: TaskRunStatus) {
        let id: Int64 = row["id"]
        try require(.tasksCancel, actor, project: row["project"], to: "cancel tasks", db)
        try requireRolloutRole(db, actor: actor, project: row["project"], environment: row["environment"], to: "cancel tasks", permission: .tasksCancel)
        guard let run = try Row.fetchOne(db, sql: "SELECT id, status FROM taskRun WHERE task = ? ORDER BY attempt DESC LIMIT 1", arguments: [id]),
              let status = TaskRunStatus(rawValue: run["status"]), !status.isTerminal else {
            throw SluiceError.precondition("task #\(id) has no pending or running run to cancel")
        }
        return (run["id"], status)
    }

    /// Run the plan checks again (of the tasks not started yet).
    func checkRunPlanChecks(_ db: Database, _ issue: Issue, _ actor: Principal) throws {
        try require(.issuesUpdate, actor, project: issue.project, to: "run plan checks", db)
    }

    func checkComment(_ db: Database, _ issue: Issue, _ actor: Principal) throws {
        try require(.issuesGet, actor, project: issue.project, to: "comment on issues", db)
    }

    /// Resolve or cancel an issue: open, and no run PENDING or RUNNING.
    func checkStatusChange(_ db: Database, _ issue: Issue, _ actor: Principal) throws {
        let id = issue.id
        try require(.issuesUpdate, actor, project: issue.project, to: "resolve or cancel issues", db)
        guard issue.status == .open else { throw SluiceError.precondition("issue #\(id) is already \(issue.status.rawValue)") }
        try requireNoActiveTasks(db, issue: id, "")
    }

    /// Edit a spec's SQL: open issue, the spec exists, none of its tasks ran, nothing pending or running. Returns the spec's type.
    func checkEditSQL(_ db: Database, _ issue: Issue, _ actor: Principal, spec specId: String) throws -> SpecType {
        let id = issue.id
        try require(.plansUpdate, actor, project: issue.project, to: "edit the SQL of issues", db)
        guard issue.status == .open else { throw SluiceError.precondition("issue #\(id) is \(issue.status.rawValue); its SQL can no longer change") }
        guard let typeText = try String.fetchOne(db, sql: "SELECT type FROM planSpec WHERE issue = ? AND specId = ?", arguments: [id, specId]) else {
            throw SluiceError.notFound("issue #\(id) has no spec \(specId)", hint: "See the specs in `sluice issue show \(id)`.")
        }
        let started = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task WHERE issue = ? AND specId = ? AND status NOT IN ('NOT_STARTED')",
                                       arguments: [id, specId]) ?? 0
        guard started == 0 else {
            throw SluiceError.precondition("spec \(specId) of issue #\(id) has tasks that already ran",
                                           hint: "Create a new issue for a further change.")
        }
        try requireNoActiveTasks(db, issue: id, "; its plan cannot change now")
        return SpecType(rawValue: typeText) ?? .migrate
    }

    private func requireNoActiveTasks(_ db: Database, issue id: Int64, _ consequence: String) throws {
        let active = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task WHERE issue = ? AND status IN ('PENDING', 'RUNNING')", arguments: [id]) ?? 0
        guard active == 0 else {
            throw SluiceError.precondition("issue #\(id) has \(active) task(s) pending or running\(consequence)",
                                           hint: "Wait for them to finish or cancel them (`sluice task cancel TASK`).")
        }
    }
}
