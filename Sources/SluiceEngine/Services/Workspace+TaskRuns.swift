import Foundation
import GRDB

/// Transitions of task runs (DESIGN §2). Each is called inside one metastore transaction and
/// keeps the derived `task.status` in step with the latest run.
extension Workspace {
    /// Queues a new attempt of a task (PENDING).
    @discardableResult
    func createRun(_ db: Database, task: Int64, by actor: String) throws -> Int64 {
        let attempt = (try Int.fetchOne(db, sql: "SELECT MAX(attempt) FROM taskRun WHERE task = ?", arguments: [task]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO taskRun (task, attempt, status, createdAt, createdBy) VALUES (?, ?, 'PENDING', ?, ?)",
                       arguments: [task, attempt, now, actor])
        let id = db.lastInsertedRowID
        try db.execute(sql: "UPDATE task SET status = 'PENDING' WHERE id = ?", arguments: [task])
        return id
    }

    /// Ends a run and, when it finishes the issue's last stage, resolves the issue (project setting).
    func finishRun(_ db: Database, run: Int64, status: TaskRunStatus, message: String?) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.task, r.attempt, r.status, t.issue, d.instance || '/' || d.name AS dbname
            FROM taskRun r JOIN task t ON t.id = r.task JOIN targetDatabase d ON d.id = t.database WHERE r.id = ?
            """, arguments: [run]) else { return }
        let current = TaskRunStatus(rawValue: row["status"]) ?? .failed
        guard !current.isTerminal else { return }
        let task: Int64 = row["task"]
        let issue: Int64 = row["issue"]
        try db.execute(sql: "UPDATE taskRun SET status = ?, finishedAt = ?, message = ?, leaseUntil = NULL WHERE id = ?",
                       arguments: [status.rawValue, now, message, run])
        try db.execute(sql: "UPDATE task SET status = ? WHERE id = ?", arguments: [TaskStatus(run: status).rawValue, task])
        let attempt: Int = row["attempt"]
        let dbname: String = row["dbname"]
        let detail = message.map { ": \($0)" } ?? ""
        try recordEvent(db, issue: issue, actor: Principal.system.email, kind: "TASK_\(status.rawValue)",
                        text: "task #\(task) on \(dbname) attempt \(attempt) \(status.rawValue)\(detail)")
        if status == .done { try resolveIfFinished(db, issue: issue) }
    }

    /// DESIGN §2: an issue resolves itself to DONE when its last stage finishes.
    func resolveIfFinished(_ db: Database, issue: Int64) throws {
        let open = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM task WHERE issue = ? AND status IN ('NOT_STARTED', 'PENDING', 'RUNNING', 'FAILED', 'CANCELED'))
            """, arguments: [issue]) ?? true
        guard !open else { return }
        guard let row = try Row.fetchOne(db, sql: "SELECT i.status, p.autoResolve FROM issue i JOIN project p ON p.key = i.project WHERE i.id = ?",
                                         arguments: [issue]) else { return }
        guard row["status"] == IssueStatus.open.rawValue, row["autoResolve"] == true else { return }
        try db.execute(sql: "UPDATE issue SET status = 'DONE' WHERE id = ?", arguments: [issue])
        try recordEvent(db, issue: issue, actor: Principal.system.email, kind: "RESOLVE", text: "every stage finished: issue resolved")
    }

    /// Appends a line to a run's log.
    func appendLog(_ db: Database, run: Int64, at: Double? = nil, kind: String, statementIndex: Int? = nil, line: Int? = nil, column: Int? = nil,
                   durationMs: Double? = nil, affectedRows: Int? = nil, sql: String? = nil, message: String? = nil) throws {
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO taskRunLog (taskRun, at, kind, statementIndex, line, column, durationMs, affectedRows, sql, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try stmt.execute(arguments: [run, at ?? Date().timeIntervalSince1970, kind, statementIndex, line, column, durationMs, affectedRows, sql, message])
    }
}
