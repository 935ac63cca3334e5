import Foundation
import GRDB

extension RolloutScheduler {
    /// Finds runs left RUNNING by a runner that is gone (its process died, or the run's lease
    /// passed unrenewed) and settles them from the target's history: first the run is fenced out
    /// of the target (it can never commit there afterwards), then its record decides: recorded →
    /// DONE; not recorded → FAILED and a new attempt queued; outside a transaction → FAILED, to be
    /// verified by a person. A target still locked by the stalled run is tried again next pass.
    func reconcileOrphans() throws {
        let now = Date().timeIntervalSince1970
        struct Candidate: Sendable {
            var run: Int64, task: Int64, runner: String?, nonTransactional: Bool
            var pid: Int?, host: String?, leaseUntil: Double?
        }
        let candidates = try workspace.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.task, r.runner, r.nonTransactional, w.pid, w.host, r.leaseUntil
                FROM taskRun r LEFT JOIN runner w ON w.id = r.runner
                WHERE r.status = 'RUNNING' AND (r.runner IS NULL OR r.runner <> ?)
                """, arguments: [runnerId]).map { row in
                Candidate(run: row["id"], task: row["task"], runner: row["runner"], nonTransactional: row["nonTransactional"],
                          pid: row["pid"], host: row["host"], leaseUntil: row["leaseUntil"])
            }
        }
        for c in candidates {
            var dead = (c.leaseUntil ?? 0) < now
            if !dead, let pid = c.pid, c.host == host, kill(pid_t(pid), 0) != 0, errno == ESRCH { dead = true }
            guard dead, (fenceRetryAt[c.run] ?? 0) <= now else { continue }
            try settle(run: c.run, task: c.task, runner: c.runner, nonTransactional: c.nonTransactional)
        }
        // Forget runners that are long gone (now and then: it is a write).
        guard now - lastRunnerCleanup > RolloutScheduler.leaseSeconds else { return }
        lastRunnerCleanup = now
        try workspace.store.write { db in
            try db.execute(sql: "DELETE FROM runner WHERE heartbeatAt < ? AND id NOT IN (SELECT runner FROM taskRun WHERE status = 'RUNNING' AND runner IS NOT NULL)",
                           arguments: [now - 10 * RolloutScheduler.leaseSeconds])
        }
    }

    private func settle(run: Int64, task: Int64, runner: String?, nonTransactional: Bool) throws {
        let database = try workspace.store.read { db in
            try TargetDatabase.fetchOne(db, sql: TargetDatabase.selectSQL + " WHERE d.id = (SELECT database FROM task WHERE id = ?)", arguments: [task])
        }
        enum Verdict { case done(String), failedRetry(String), failed(String) }
        let verdict: Verdict
        if nonTransactional {
            verdict = .failed("interrupted outside a transaction: verify before retrying")
        } else if let database {
            do {
                let record = try TargetDrivers.driver(for: database.engine).fence(database, workspace: workspaceId, task: task, run: run,
                                                                                  seal: seal, waitMs: 2000)
                if let record, seal.integrity(of: record, workspace: workspaceId) == .verified {
                    verdict = .done("recovered after the runner stopped: the change had committed")
                } else {
                    verdict = .failedRetry("interrupted, rolled back (the stalled attempt is fenced out of \(database.ref): it can never commit there)")
                }
            } catch is FenceBusy {
                // The stalled runner's transaction still holds the target: settle it once that ends.
                fenceRetryAt[run] = Date().timeIntervalSince1970 + 1
                return
            } catch {
                verdict = .failed("interrupted; could not check \(database.ref) (\(error)): verify before retrying")
            }
        } else {
            verdict = .failed("interrupted; its database is gone")
        }
        let status: TaskRunStatus = {
            if case .done = verdict { return .done }
            return .failed
        }()
        try workspace.store.write { db in
            // Someone else may have settled it first.
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM taskRun WHERE id = ? AND status = 'RUNNING' AND runner IS ?",
                                   arguments: [run, runner]) != nil else { return }
            switch verdict {
            case .done(let m):
                try workspace.appendLog(db, run: run, kind: "DONE", message: m)
                try workspace.finishRun(db, run: run, status: .done, message: m)
            case .failedRetry(let m):
                try workspace.appendLog(db, run: run, kind: "FAILED", message: m)
                try workspace.finishRun(db, run: run, status: .failed, message: m)
                let next = try workspace.createRun(db, task: task, by: Principal.system.email)
                try workspace.appendLog(db, run: next, kind: "INFO", message: "queued again after an interrupted attempt (nothing had been committed)")
            case .failed(let m):
                try workspace.appendLog(db, run: run, kind: "FAILED", message: m)
                try workspace.finishRun(db, run: run, status: .failed, message: m)
            }
        }
        emit(.reconciled(run: run, status: status))
    }
}
