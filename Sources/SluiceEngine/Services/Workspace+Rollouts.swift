import Foundation
import GRDB

extension Workspace {
    /// Tasks of an issue, in plan order, with their waiting causes.
    func fetchTasks(_ db: Database, issue: Int64) throws -> [RolloutTask] {
        let ctx = try SchedulingContext(db, now: now)
        let runnerActive = try hasActiveRunner(db)
        let rows = try Row.fetchAll(db, sql: SchedulableTask.select(
            extraColumns: "t.type, t.schemaVersion, t.skipReason, d.instance || '/' || d.name AS dbname")
            + " WHERE t.issue = ? ORDER BY st.position, t.position", arguments: [issue])
        let latestRuns = Dictionary(try TaskRun.fetchAll(db, sql: """
            SELECT r.* FROM taskRun r JOIN task t ON t.id = r.task
            WHERE t.issue = ? AND r.attempt = (SELECT MAX(attempt) FROM taskRun WHERE task = r.task)
            """, arguments: [issue]).map { ($0.taskId, $0) }, uniquingKeysWith: { a, _ in a })
        return try rows.map { row in
            let id: Int64 = row["id"]
            let cause = try ctx.waitingCause(for: SchedulableTask(row: row), runnerActive: runnerActive)
            return RolloutTask(
                id: id, issueId: row["issue"], stageId: row["stage"], environment: row["environment"], position: row["position"],
                specId: row["specId"], databaseId: row["database"], database: row["dbname"],
                type: SpecType(rawValue: row["type"]) ?? .migrate, schemaVersion: row["schemaVersion"],
                status: TaskStatus(rawValue: row["status"]) ?? .notStarted, skipReason: row["skipReason"],
                earliestAllowedTime: (row["earliestAllowedTime"] as Double?).map(Date.init(timeIntervalSince1970:)),
                dependsOnSpecs: JSONColumn.decodeStrings(row["dependsOn"]),
                waitingCause: cause?.description, latestRun: latestRuns[id])
        }
    }

    func taskDetail(_ db: Database, issue: Int64, task: Int64) throws -> RolloutTask {
        guard let t = try fetchTasks(db, issue: issue).first(where: { $0.id == task }) else {
            throw SluiceError.notFound("no task #\(task)")
        }
        return t
    }

    /// Whether some `sluice run` (or TUI) process has a fresh heartbeat.
    func hasActiveRunner(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM runner WHERE heartbeatAt > ?", arguments: [Date().timeIntervalSince1970 - RolloutScheduler.leaseSeconds]) ?? false
    }

    public func tasks(issue id: Int64, by actor: Principal) throws -> [RolloutTask] {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            try require(.issuesGet, actor, project: issue.project, to: "read issues", db)
            return try fetchTasks(db, issue: id)
        }
    }

    func fetchTaskRow(_ db: Database, task: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT t.*, st.environment, st.position AS stagePosition, i.project, i.status AS issueStatus, i.approvalStatus,
                   d.instance || '/' || d.name AS dbname
            FROM task t JOIN stage st ON st.id = t.stage JOIN issue i ON i.id = t.issue JOIN targetDatabase d ON d.id = t.database
            WHERE t.id = ?
            """, arguments: [task]) else {
            throw SluiceError.notFound("no task #\(task)", hint: "See `sluice task list ISSUE`.")
        }
        return row
    }

    /// Checks the environment's rollout policy: the member must hold one of its rollout roles.
    func requireRolloutRole(_ db: Database, actor: Principal, project: String, environment: String) throws {
        guard actor != .system, let env = try Environment.fetchOne(db, sql: "SELECT * FROM environment WHERE name = ?", arguments: [environment]),
              !env.rolloutRoles.isEmpty else { return }
        let held = try roles(of: actor, in: project, db)
        guard held.contains(where: env.rolloutRoles.contains) else {
            throw SluiceError(.permissionDenied,
                              "permission denied: \(actor.email) cannot roll out to \(environment): its policy allows \(env.rolloutRoles.joined(separator: ", "))",
                              hint: "Ask a member with one of those roles to run the stage.", permission: Permission.rolloutsRun.rawValue)
        }
    }

    /// Starts the next unfinished stage (or the named one): queues a run for each task not started.
    public func runStage(by actor: Principal, issue id: Int64, environment: String? = nil) throws -> [RolloutTask] {
        try store.write { db in
            let issue = try fetchIssue(id, db)
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
            try requireRolloutRole(db, actor: actor, project: issue.project, environment: env)
            let notStarted = try Int64.fetchAll(db, sql: "SELECT id FROM task WHERE stage = ? AND status = 'NOT_STARTED' ORDER BY position",
                                                arguments: [target["id"] as Int64])
            guard !notStarted.isEmpty else {
                throw SluiceError.precondition("stage \(env) of issue #\(id) has no task waiting to start",
                                               hint: "Failed or canceled tasks are retried one by one with `sluice task retry TASK`.")
            }
            for t in notStarted { try createRun(db, task: t, by: actor.email) }
            try recordEvent(db, issue: id, actor: actor.email, kind: "ROLLOUT", text: "stage \(env) started (\(notStarted.count) task(s))")
            return try fetchTasks(db, issue: id).filter { notStarted.contains($0.id) }
        }
    }

    /// Queues a new attempt of a FAILED or CANCELED task.
    public func retryTask(by actor: Principal, task id: Int64) throws -> RolloutTask {
        try store.write { db in
            let row = try fetchTaskRow(db, task: id)
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
            try requireRolloutRole(db, actor: actor, project: project, environment: row["environment"])
            try createRun(db, task: id, by: actor.email)
            try recordEvent(db, issue: row["issue"], actor: actor.email, kind: "RETRY", text: "task #\(id) on \(row["dbname"] as String) retried")
            return try taskDetail(db, issue: row["issue"], task: id)
        }
    }

    /// Skips a task that has not finished, with a reason; skipping is terminal.
    public func skipTask(by actor: Principal, task id: Int64, reason: String) throws -> RolloutTask {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw SluiceError.usage("skipping a task needs a reason (--reason)") }
        return try store.write { db in
            let row = try fetchTaskRow(db, task: id)
            try require(.tasksSkip, actor, project: row["project"], to: "skip tasks", db)
            let status = TaskStatus(rawValue: row["status"]) ?? .notStarted
            guard status == .notStarted || status == .failed || status == .canceled else {
                throw SluiceError.precondition("task #\(id) is \(status.rawValue); only tasks not started, FAILED or CANCELED can be skipped",
                                               hint: status == .pending || status == .running ? "Cancel it first with `sluice task cancel \(id)`." : nil)
            }
            try db.execute(sql: "UPDATE task SET status = 'SKIPPED', skipReason = ? WHERE id = ?", arguments: [reason, id])
            try recordEvent(db, issue: row["issue"], actor: actor.email, kind: "SKIP", text: "task #\(id) on \(row["dbname"] as String) skipped: \(reason)")
            try resolveIfFinished(db, issue: row["issue"])
            return try taskDetail(db, issue: row["issue"], task: id)
        }
    }

    /// Cancels a PENDING run at once, or asks the runner executing a RUNNING one to interrupt it.
    public func cancelTask(by actor: Principal, task id: Int64) throws -> RolloutTask {
        try store.write { db in
            let row = try fetchTaskRow(db, task: id)
            try require(.tasksCancel, actor, project: row["project"], to: "cancel tasks", db)
            guard let run = try Row.fetchOne(db, sql: "SELECT id, status FROM taskRun WHERE task = ? ORDER BY attempt DESC LIMIT 1", arguments: [id]),
                  let status = TaskRunStatus(rawValue: run["status"]), !status.isTerminal else {
                throw SluiceError.precondition("task #\(id) has no pending or running run to cancel")
            }
            let runId: Int64 = run["id"]
            if status == .pending {
                try finishRun(db, run: runId, status: .canceled, message: "canceled by \(actor.email) before it started")
            } else {
                try db.execute(sql: "UPDATE taskRun SET cancelRequested = 1 WHERE id = ?", arguments: [runId])
                try recordEvent(db, issue: row["issue"], actor: actor.email, kind: "CANCEL_REQUEST", text: "cancel of task #\(id) requested")
            }
            return try taskDetail(db, issue: row["issue"], task: id)
        }
    }

    /// The log lines of a task's runs (latest attempt last), after a given log line id.
    public func taskLog(task id: Int64, by actor: Principal, after: Int64 = 0) throws -> (task: RolloutTask, runs: [TaskRun], lines: [TaskRunLogLine]) {
        try store.read { db in
            let row = try fetchTaskRow(db, task: id)
            try require(.issuesGet, actor, project: row["project"], to: "read task logs", db)
            let runs = try TaskRun.fetchAll(db, sql: "SELECT * FROM taskRun WHERE task = ? ORDER BY attempt", arguments: [id])
            let lines = try TaskRunLogLine.fetchAll(db, sql: """
                SELECT l.* FROM taskRunLog l JOIN taskRun r ON r.id = l.taskRun WHERE r.task = ? AND l.id > ? ORDER BY l.id
                """, arguments: [id, after])
            let task = try taskDetail(db, issue: row["issue"], task: id)
            return (task, runs, lines)
        }
    }
}
