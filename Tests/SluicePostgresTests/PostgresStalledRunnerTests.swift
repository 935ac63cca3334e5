import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// A runner stopped (SIGSTOP) in the middle of a PostgreSQL task past its lease, another runner
/// settling and retrying the task, then the first resumed (SIGCONT): the change is applied exactly
/// once, and the metastore's story matches the target's `sluice_migration_history`.
@Suite(.serialized) struct PostgresStalledRunnerTests {
    @Test func aStalledRunnerIsFencedOutAndTheChangeIsAppliedExactlyOnce() throws {
        var fencedOut = 0, keptTheirRun = 0
        for i in 1...20 {
            let t = try PostgresWorkspace(tag: "stall", perEnvironment: 1, environments: ["test"], maxConnections: 2)
            let issue = try t.issue([("test", [(id: "s", db: 0, sql: "CREATE TABLE IF NOT EXISTS applied (x int);\nINSERT INTO applied VALUES (\(i));\nSELECT pg_sleep(1);")])])
            let home = t.dir + "/home"
            func meta(_ sql: String) throws -> Int { try t.ws.store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 } }

            let a = try SluiceProcess(home: home, ["run", "--until-idle", "--lease", "1"])
            let deadline = Date().addingTimeInterval(30)
            while try meta("SELECT count(*) FROM taskRun WHERE status = 'RUNNING'") == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.5))
            kill(a.pid, SIGSTOP)
            Thread.sleep(forTimeInterval: 1.5) // past A's lease
            let (bStatus, bErr) = try SluiceProcess(home: home, ["run", "--until-idle", "--lease", "1"]).wait()
            #expect(bStatus == 0, "\(bErr)")
            kill(a.pid, SIGCONT)
            let (aStatus, aErr) = a.wait()
            #expect(aStatus == 0, "\(aErr)")

            #expect(try t.count("test", 0, "SELECT count(*) FROM applied") == 1, "iteration \(i)")
            let history = try TestServer.query("SELECT status || ':' || task_run_id FROM sluice_migration_history ORDER BY id", database: t.name("test", 0))
            let done = try t.ws.store.read { db in
                try Int64.fetchAll(db, sql: "SELECT r.id FROM taskRun r JOIN task k ON k.id = r.task WHERE k.issue = ? AND r.status = 'DONE'", arguments: [issue.id])
            }
            #expect(history.count == 1 && done.count == 1 && history.first == "DONE:\(done.first ?? -1)",
                    "iteration \(i): target history \(history), runs DONE in the metastore \(done)")
            #expect(try meta("SELECT count(*) FROM taskRun WHERE status IN ('RUNNING', 'PENDING')") == 0, "iteration \(i)")
            if try meta("SELECT count(*) FROM taskRun") > 1 { fencedOut += 1 } else { keptTheirRun += 1 }
        }
        print("postgres stall test: 20 iterations; the stalled run was fenced out and retried \(fencedOut) time(s), kept its own commit \(keptTheirRun) time(s)")
        #expect(fencedOut > 0, "no iteration stopped A before its commit; the test proves little")
    }
}
