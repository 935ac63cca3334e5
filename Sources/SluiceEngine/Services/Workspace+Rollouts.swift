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

    /// A task with what its actions check: environment, project, issue and approval status, database name.
    static let taskRowSelect = """
        SELECT t.*, st.environment, st.position AS stagePosition, i.project, i.status AS issueStatus, i.approvalStatus,
               d.instance || '/' || d.name AS dbname
        FROM task t JOIN stage st ON st.id = t.stage JOIN issue i ON i.id = t.issue JOIN targetDatabase d ON d.id = t.database
        """

    func fetchTaskRow(_ db: Database, task: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: Workspace.taskRowSelect + " WHERE t.id = ?", arguments: [task]) else {
            throw SluiceError.notFound("no task #\(task)", hint: "See `sluice task list ISSUE`.")
        }
        return row
    }

    /// The environment's rollout policy, one rule for every action that moves a rollout there (run a
    /// stage, retry, skip, cancel): when the environment lists rollout roles, the member must hold one
    /// of them (workspace role or role in the project) on top of the action's own permission.
    func requireRolloutRole(_ db: Database, actor: Principal, project: String, environment: String,
                            to action: String, permission: Permission) throws {
        guard actor != .system, let env = try Environment.fetchOne(db, sql: "SELECT * FROM environment WHERE name = ?", arguments: [environment]),
              !env.rolloutRoles.isEmpty else { return }
        let held = try roles(of: actor, in: project, db)
        guard held.contains(where: env.rolloutRoles.contains) else {
            let allowed = env.rolloutRoles.joined(separator: ", ")
            throw SluiceError(.permissionDenied,
                              "permission denied: \(actor.email) cannot \(action) in \(environment): its rollout policy allows only the roles \(allowed), "
                                  + "and \(actor.email) holds \(held.sorted().joined(separator: ", "))",
                              hint: "Ask a member with one of those roles, or ask an admin for one of them in project \(project) "
                                  + "(`sluice project member add`) or to widen the rollout roles of \(environment) (`sluice settings apply`).",
                              permission: permission.rawValue)
        }
    }

    /// Starts the next unfinished stage (or the named one): queues a run for each task not started.
    public func runStage(by actor: Principal, issue id: Int64, environment: String? = nil) throws -> [RolloutTask] {
        try store.write { db in
            let issue = try fetchIssue(id, db)
            let (env, notStarted) = try checkRunStage(db, issue, actor, environment: environment)
            for t in notStarted { try createRun(db, task: t, by: actor.email) }
            try recordEvent(db, issue: id, actor: actor.email, kind: "ROLLOUT", text: "stage \(env) started (\(notStarted.count) task(s))")
            return try fetchTasks(db, issue: id).filter { notStarted.contains($0.id) }
        }
    }

    /// Queues a new attempt of a FAILED or CANCELED task.
    public func retryTask(by actor: Principal, task id: Int64) throws -> RolloutTask {
        try store.write { db in
            let row = try fetchTaskRow(db, task: id)
            try checkRetry(db, row, actor)
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
            try checkSkip(db, row, actor)
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
            let (runId, status) = try checkCancel(db, row, actor)
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
