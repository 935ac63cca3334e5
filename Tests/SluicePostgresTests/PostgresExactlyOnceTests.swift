import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Exactly-once on PostgreSQL targets when `sluice run` is killed mid-rollout (DESIGN §4).
@Suite struct PostgresExactlyOnceTests {
    @Test func killNineOfTheRunnerMidRolloutThenARestartAppliesEveryChangeExactlyOnce() throws {
        let databases = 30
        let t = try PostgresWorkspace(tag: "once", perEnvironment: databases, environments: ["test"], maxConnections: 4)
        let sql = "CREATE TABLE applied (x int);\nINSERT INTO applied VALUES (1);\nSELECT pg_sleep(0.15);"
        let issue = try t.issue([("test", (0..<databases).map { (id: "s\($0)", db: $0, sql: sql) })])
        let home = t.dir + "/home"
        func count(_ sql: String) throws -> Int { try t.ws.store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 } }

        let runner = try SluiceProcess(home: home, ["run", "--workers", "4"])
        let deadline = Date().addingTimeInterval(60)
        while try count("SELECT COUNT(*) FROM task WHERE status = 'DONE'") < 6 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        runner.kill9()
        _ = runner.wait()
        let doneAtKill = try count("SELECT COUNT(*) FROM task WHERE status = 'DONE'")
        let runningAtKill = try count("SELECT COUNT(*) FROM taskRun WHERE status = 'RUNNING'")
        #expect(doneAtKill < databases, "the rollout finished before the kill; the test proves nothing")
        #expect(runningAtKill > 0, "nothing was running at the kill; the test proves little")

        let (status, stderr) = try SluiceProcess(home: home, ["run", "--until-idle", "--workers", "4"]).wait()
        #expect(status == 0, "\(stderr)")
        #expect(try count("SELECT COUNT(*) FROM taskRun WHERE status IN ('RUNNING', 'PENDING')") == 0)
        #expect(try count("SELECT COUNT(*) FROM task WHERE issue = \(issue.id) AND status = 'DONE'") == databases)
        for i in 0..<databases {
            #expect(try t.count("test", i, "SELECT count(*) FROM applied") == 1, "database \(i)")
            #expect(try t.count("test", i, "SELECT count(*) FROM sluice_migration_history WHERE status = 'DONE'") == 1, "database \(i)")
        }
        let settled = try count("SELECT COUNT(*) FROM taskRun WHERE message LIKE 'interrupted%' OR message LIKE 'recovered%'")
        #expect(settled >= runningAtKill)
        print("postgres crash test: \(doneAtKill)/\(databases) done and \(runningAtKill) running at kill -9; \(settled) run(s) settled on restart")
    }
}
