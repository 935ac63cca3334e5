import Foundation
import GRDB
import SluiceEngine
import Testing

/// Exactly-once under crashes and competing runners, through the real `sluice run` binary.
@Suite(.serialized) struct ExactlyOnceTests {
    /// A workspace with `tenants` database files in an automatic `test` environment.
    final class Fixture {
        let dir = NSTemporaryDirectory() + "sluice-once-" + UUID().uuidString
        let ws: Workspace
        let admin: Principal
        let tenants: Int

        init(tenants: Int) throws {
            self.tenants = tenants
            try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
            for i in 0..<tenants { _ = FileManager.default.createFile(atPath: dir + "/tenants/t\(i).db", contents: nil) }
            ws = try Workspace(home: dir + "/home", create: true)
            admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
            _ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: true, rolloutRoles: [])
            _ = try ws.addInstance(by: admin, name: "tenants", engine: .sqlite, location: dir + "/tenants", environment: "test", maxConnections: 8)
            _ = try ws.syncInstance(by: admin, name: "tenants")
            _ = try ws.createProject(by: admin, key: "P", title: "P")
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func issue(specsPerTenant: Int, sql: (Int) -> String) throws -> SluiceEngine.Issue {
            var specs: [PlanDocument.Spec] = []
            for t in 0..<tenants {
                for k in 0..<specsPerTenant {
                    specs.append(.init(id: "t\(t)-\(k)", changeDatabaseConfig: .init(target: "tenants/t\(t)", sheet: sql(k))))
                }
            }
            return try ws.createIssue(by: admin, project: "P", title: "fan-out", plan: .document(PlanDocument(steps: [.init(title: "test", specs: specs)])))
        }

        func count(_ sql: String) throws -> Int {
            try ws.store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
        }

        func rows(tenant: Int, _ sql: String) throws -> Int {
            try DatabaseQueue(path: dir + "/tenants/t\(tenant).db").read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
        }
    }

    @Test func killNineMidRolloutThenRestartAppliesEveryChangeExactlyOnce() throws {
        let f = try Fixture(tenants: 60)
        let issue = try f.issue(specsPerTenant: 1) { _ in
            "CREATE TABLE applied(x);\nINSERT INTO applied VALUES (1);\n" + "CREATE TABLE filler AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 150000) SELECT x FROM c;"
        }
        let sluice = SluiceBinary(home: f.dir + "/home")
        let runner = try sluice.start(["run", "--workers", "4"])
        // Wait until the rollout is well under way, then kill the runner without warning.
        let deadline = Date().addingTimeInterval(60)
        while try f.count("SELECT COUNT(*) FROM task WHERE status = 'DONE'") < 8 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        runner.kill9()
        _ = try runner.wait()
        let doneAtKill = try f.count("SELECT COUNT(*) FROM task WHERE status = 'DONE'")
        let runningAtKill = try f.count("SELECT COUNT(*) FROM taskRun WHERE status = 'RUNNING'")
        #expect(doneAtKill < f.tenants, "the rollout finished before the kill; the test proves nothing")

        let restart = try sluice.run(["run", "--until-idle", "--workers", "4"])
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(try f.count("SELECT COUNT(*) FROM taskRun WHERE status IN ('RUNNING', 'PENDING')") == 0)
        #expect(try f.count("SELECT COUNT(*) FROM task WHERE issue = \(issue.id) AND status = 'DONE'") == f.tenants)
        for t in 0..<f.tenants {
            #expect(try f.rows(tenant: t, "SELECT COUNT(*) FROM applied") == 1, "tenant t\(t)")
            #expect(try f.rows(tenant: t, "SELECT COUNT(*) FROM sluice_migration_history WHERE status = 'DONE'") == 1, "tenant t\(t)")
        }
        // Runs caught mid-flight were settled from the targets' history, never left RUNNING.
        let settled = try f.count("SELECT COUNT(*) FROM taskRun WHERE message LIKE 'interrupted%' OR message LIKE 'recovered%'")
        #expect(settled >= runningAtKill)
        print("crash test: \(doneAtKill)/\(f.tenants) done and \(runningAtKill) running at kill -9; \(settled) run(s) settled on restart")
    }

    @Test func twoRunnersOnOneWorkspaceRunEachTaskExactlyOnce() throws {
        let f = try Fixture(tenants: 50)
        let issue = try f.issue(specsPerTenant: 4) { k in
            (k == 0 ? "CREATE TABLE hits(spec INTEGER);\n" : "") + "INSERT INTO hits VALUES (\(k));"
        }
        #expect(try f.count("SELECT COUNT(*) FROM task WHERE issue = \(issue.id)") == 200)
        let sluice = SluiceBinary(home: f.dir + "/home")
        let a = try sluice.start(["run", "--until-idle", "--workers", "4"])
        let b = try sluice.start(["run", "--until-idle", "--workers", "4"])
        let ra = try a.wait(), rb = try b.wait()
        #expect(ra.status == 0, "\(ra.stderr)")
        #expect(rb.status == 0, "\(rb.stderr)")
        #expect(try f.count("SELECT COUNT(*) FROM taskRun") == 200)
        #expect(try f.count("SELECT COUNT(*) FROM taskRun WHERE status = 'DONE' AND attempt = 1") == 200)
        for t in 0..<f.tenants {
            #expect(try f.rows(tenant: t, "SELECT COUNT(*) FROM hits") == 4, "tenant t\(t)")
            // Same-database tasks ran in plan order.
            #expect(try f.rows(tenant: t, "SELECT group_concat(spec, '') = '0123' FROM (SELECT spec FROM hits ORDER BY rowid)") == 1)
            #expect(try f.rows(tenant: t, "SELECT COUNT(*) FROM sluice_migration_history") == 4, "tenant t\(t)")
        }
        let runners = try f.count("SELECT COUNT(DISTINCT runner) FROM taskRun")
        #expect(runners >= 1)
        print("two runners: tasks claimed by \(runners) distinct runner(s)")
    }
}
