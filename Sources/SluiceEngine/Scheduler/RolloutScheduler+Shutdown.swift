import Foundation
import GRDB

/// A task run this runner holds (claimed, RUNNING under its lease).
public struct HeldRun: Sendable, Equatable {
    public var run: Int64
    public var task: Int64
    public var issue: Int64
    /// `instance/name` of the target.
    public var database: String
    public init(run: Int64, task: Int64, issue: Int64, database: String) {
        self.run = run; self.task = task; self.issue = issue; self.database = database
    }
}

/// What a front end needs to leave while tasks run: what this runner holds, and giving it back.
extension RolloutScheduler {
    /// The runs this runner holds now, as the metastore records them.
    public func heldRuns() throws -> [HeldRun] {
        try workspace.store.read { db in try heldRuns(db) }
    }

    private func heldRuns(_ db: Database) throws -> [HeldRun] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.task, t.issue, d.instance, d.name
            FROM taskRun r JOIN task t ON t.id = r.task JOIN targetDatabase d ON d.id = t.database
            WHERE r.runner = ? AND r.status = 'RUNNING' ORDER BY r.id
            """, arguments: [runnerId]).map { row in
            HeldRun(run: row["id"], task: row["task"], issue: row["issue"], database: "\(row["instance"] as String)/\(row["name"] as String)")
        }
    }

    /// Gives this runner's running runs back, for a process about to exit without waiting for
    /// them: each run's lease ends now and it belongs to no runner, so the next runner (`sluice
    /// run`, a TUI) settles it as it settles any run whose runner stopped: fenced out of its
    /// target, then DONE if the change had committed, else a new attempt queued. The runner's
    /// own heartbeat can no longer renew them. Returns what was released.
    @discardableResult
    public func release() throws -> [HeldRun] {
        try workspace.store.write { db in
            let held = try heldRuns(db)
            for h in held {
                try db.execute(sql: "UPDATE taskRun SET runner = NULL, leaseUntil = 0 WHERE id = ? AND status = 'RUNNING' AND runner = ?",
                               arguments: [h.run, runnerId])
                try workspace.appendLog(db, run: h.run, kind: "INFO", message:
                    "released by its runner, which is leaving: the next runner fences it out of \(h.database) and settles it "
                    + "(DONE if it had committed, else queued again)")
            }
            try db.execute(sql: "DELETE FROM runner WHERE id = ?", arguments: [runnerId])
            return held
        }
    }
}
