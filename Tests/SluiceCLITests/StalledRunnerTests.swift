import Foundation
import GRDB
import SluiceEngine
import Testing

/// A runner stopped (SIGSTOP) past its lease while another runner settles its task, then
/// resumed (SIGCONT), through the real `sluice run` binary on SQLite targets: the change is
/// applied exactly once, and the metastore's story matches the target's history.
@Suite(.serialized) struct StalledRunnerTests {
    /// One tenant file in an automatic environment and one task on it.
    final class Stage {
        let dir = NSTemporaryDirectory() + "sluice-stall-" + UUID().uuidString
        let ws: Workspace
        let admin: Principal
        let issueId: Int64
        var tenant: String { dir + "/tenants/t0.db" }
        var sluice: SluiceBinary { SluiceBinary(home: dir + "/home") }

        init(sql: String) throws {
            try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: dir + "/tenants/t0.db", contents: nil)
            ws = try Workspace(home: dir + "/home", create: true)
            admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
            _ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: true, rolloutRoles: [])
            _ = try ws.addInstance(by: admin, name: "tenants", engine: .sqlite, location: dir + "/tenants", environment: "test", maxConnections: 4)
            _ = try ws.syncInstance(by: admin, name: "tenants")
            _ = try ws.createProject(by: admin, key: "P", title: "P")
            issueId = try ws.createIssue(by: admin, project: "P", title: "stall", plan: .document(PlanDocument(steps: [
                .init(title: "test", specs: [.init(id: "s", changeDatabaseConfig: .init(target: "tenants/t0", sheet: sql))]),
            ]))).id
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func meta<T: DatabaseValueConvertible & Sendable>(_ sql: String) throws -> T? { try ws.store.read { db in try T.fetchOne(db, sql: sql) } }

        func waitFor(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while try !condition() {
                guard Date() < deadline else { throw TimedOut(what: what) }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }

        /// The target's rows of `applied`, and its history rows as (status, taskRunId).
        func target() throws -> (applied: Int, history: [(String, Int64)]) {
            try DatabaseQueue(path: tenant).read { db in
                let applied = try Int.fetchOne(db, sql: "SELECT count(*) FROM applied") ?? -1
                let history = try Row.fetchAll(db, sql: "SELECT status, taskRunId FROM sluice_migration_history ORDER BY id")
                    .map { ($0[0] as String, $0[1] as Int64) }
                return (applied, history)
            }
        }

        /// Exactly once, told the same way by the metastore and by the target.
        func expectOneStory(_ label: String) throws {
            let t = try target()
            #expect(t.applied == 1, "\(label): the change is applied \(t.applied) time(s)")
            #expect(t.history.count == 1 && t.history.first?.0 == "DONE", "\(label): history \(t.history)")
            let done: [Int64] = try ws.store.read { db in
                try Int64.fetchAll(db, sql: "SELECT r.id FROM taskRun r JOIN task t ON t.id = r.task WHERE t.issue = ? AND r.status = 'DONE'", arguments: [issueId])
            }
            #expect(done.count == 1, "\(label): runs DONE in the metastore: \(done)")
            #expect(done.first == t.history.first?.1, "\(label): the metastore says run \(done) applied it, the target says run \(t.history.first?.1 ?? -1)")
            #expect(try meta("SELECT count(*) FROM taskRun WHERE status IN ('RUNNING', 'PENDING')") == 0, "\(label): runs left unsettled")
        }
    }

    struct TimedOut: Error { var what: String }

    /// Another process holding the write lock of a SQLite file (an open `BEGIN IMMEDIATE`) until killed.
    static func holdWriteLock(_ path: String) throws -> Spawned {
        let code = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(600)\n"
        let holder = try Spawned(path: "/usr/bin/python3", args: ["-c", code, path], env: ProcessInfo.processInfo.environment, stdin: nil)
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: holder.outPath, encoding: .utf8))?.contains("locked") != true {
            guard Date() < deadline else { holder.kill9(); throw TimedOut(what: "the lock holder") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return holder
    }

    static let lease = "1"

    /// Runner A claims the task but waits for the target's lock (the test holds it), is stopped
    /// there, and stays stopped past its lease; runner B settles the run (fences it, queues a
    /// retry) and applies the change; A resumes and must find itself fenced out.
    @Test func aRunnerStalledBeforeItsTransactionIsFencedOutWhileAnotherAppliesTheChange() throws {
        for i in 1...10 {
            let s = try Stage(sql: "CREATE TABLE IF NOT EXISTS applied (x);\nINSERT INTO applied VALUES (\(i));")
            let holder = try Self.holdWriteLock(s.tenant)
            let a = try s.sluice.start(["run", "--until-idle", "--lease", Self.lease])
            try s.waitFor("A claims the task") { try s.meta("SELECT count(*) FROM taskRun WHERE status = 'RUNNING'") == 1 }
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.3))
            kill(a.pid, SIGSTOP)
            holder.kill9() // its lock goes with it
            _ = try holder.wait()
            Thread.sleep(forTimeInterval: 1.5) // past A's lease
            let b = try s.sluice.run(["run", "--until-idle", "--lease", Self.lease])
            #expect(b.status == 0, "\(b.stderr)")
            #expect(try s.meta("SELECT count(*) FROM taskRun WHERE attempt = 1 AND status = 'FAILED' AND message LIKE 'interrupted%fenced%'") == 1,
                    "iteration \(i): B settled A's attempt")
            kill(a.pid, SIGCONT)
            let ra = try a.wait()
            #expect(ra.status == 0, "\(ra.stderr)")
            try s.expectOneStory("iteration \(i)")
            let resumed: String? = try s.meta("SELECT group_concat(message, ' | ') FROM taskRunLog WHERE taskRun = (SELECT id FROM taskRun WHERE attempt = 1) AND message LIKE '%resumed after its lease%'")
            #expect(resumed?.contains("nothing was applied by it") == true, "iteration \(i): A's log says what it found: \(resumed ?? "nothing")")
        }
    }

    /// Runner A is stopped inside its transaction (holding the target's write lock) past its lease:
    /// B may not settle what it cannot fence, so it waits; when A resumes, A's commit stands and the
    /// metastore records A's run as the one that applied it.
    @Test func aRunnerStalledInsideItsTransactionKeepsItsRunAndNobodyAppliesItTwice() throws {
        for i in 1...10 {
            let s = try Stage(sql: "CREATE TABLE IF NOT EXISTS applied (x);\nINSERT INTO applied VALUES (\(i));\n"
                + "CREATE TABLE filler AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT x FROM c;")
            let a = try s.sluice.start(["run", "--until-idle", "--lease", Self.lease])
            try s.waitFor("A claims the task") { try s.meta("SELECT count(*) FROM taskRun WHERE status = 'RUNNING'") == 1 }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.15))
            kill(a.pid, SIGSTOP)
            Thread.sleep(forTimeInterval: 1.5)
            let b = try s.sluice.start(["run", "--until-idle", "--lease", Self.lease])
            Thread.sleep(forTimeInterval: 1.5)
            let stalled = try s.meta("SELECT count(*) FROM taskRun WHERE status = 'RUNNING'") as Int?
            kill(a.pid, SIGCONT)
            let ra = try a.wait(), rb = try b.wait()
            #expect(ra.status == 0, "\(ra.stderr)")
            #expect(rb.status == 0, "\(rb.stderr)")
            // Whether the stop landed inside A's transaction (B waits), after its commit (B finds A's record) or,
            // rarely, before its BEGIN (B fences A out and retries), the story is the same: once, and told alike.
            try s.expectOneStory("iteration \(i) (RUNNING while stopped: \(stalled ?? -1))")
        }
    }
}
