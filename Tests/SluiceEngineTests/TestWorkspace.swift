import Foundation
import GRDB
@testable import SluiceEngine

/// A real workspace in a temporary directory, with tenant SQLite files, two environments
/// (test automatic, prod manual) and a project with members of every built-in role.
final class TestWorkspace {
    let dir: String
    let ws: Workspace
    let clock: ManualClock?
    let admin: Principal
    let dba = Principal(email: "dba@example.com", name: "Dba", role: "dba")
    let owner = Principal(email: "owner@example.com", name: "Owner", role: "member")
    let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
    let releaser = Principal(email: "rel@example.com", name: "Rel", role: "member")
    let viewer = Principal(email: "viewer@example.com", name: "Viewer", role: "member")

    init(testTenants: Int = 1, prodTenants: Int = 1, maxConnections: Int = 8, clock: ManualClock? = nil,
         testAutomatic: Bool = true, home: String? = nil) throws {
        dir = NSTemporaryDirectory() + "sluice-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.clock = clock
        PasswordHasher.useTestCost() // cheap password hashes for test members (docs/sign-in.md)
        ws = try Workspace(home: home ?? dir + "/home", create: true, clock: clock ?? SystemClock())
        admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
        _ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: testAutomatic, rolloutRoles: nil)
        _ = try ws.addEnvironment(by: admin, name: "prod", order: 1, protected: true, autoRollout: false, rolloutRoles: nil)
        for (env, count) in [("test", testTenants), ("prod", prodTenants)] {
            let path = "\(dir)/\(env)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for i in 0..<count { _ = FileManager.default.createFile(atPath: "\(path)/t\(i).db", contents: nil) }
            _ = try ws.addInstance(by: admin, name: env, engine: .sqlite, location: path, environment: env, maxConnections: maxConnections)
            _ = try ws.syncInstance(by: admin, name: env)
        }
        _ = try ws.createProject(by: admin, key: "P", title: "Project")
        for (p, role, projectRole) in [(dba, "dba", nil), (owner, "member", "owner"), (dev, "member", "developer"),
                                       (releaser, "member", "releaser"), (viewer, "member", "viewer")] as [(Principal, String, String?)] {
            _ = try ws.addMember(by: admin, email: p.email, role: role, password: "member-password")
            if let projectRole { _ = try ws.addProjectMember(by: admin, project: "P", email: p.email, role: projectRole) }
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func ref(_ env: String, _ i: Int) -> DatabaseRef { DatabaseRef(instance: env, name: "t\(i)") }

    func path(_ env: String, _ i: Int) -> String { "\(dir)/\(env)/t\(i).db" }

    /// Creates an issue from a plan of one step per environment given as (env, [(specId, tenant, sql, deps)]).
    func issue(_ steps: [(String, [(id: String, tenant: Int, sql: String, deps: [String], at: String?)])], by: Principal? = nil) throws -> Issue {
        let doc = PlanDocument(steps: steps.map { env, specs in
            PlanDocument.Step(title: env, specs: specs.map { s in
                PlanDocument.Spec(id: s.id, dependsOnSpecs: s.deps, earliestAllowedTime: s.at,
                                  changeDatabaseConfig: .init(target: "\(env)/t\(s.tenant)", sheet: s.sql))
            })
        })
        return try ws.createIssue(by: by ?? dev, project: "P", title: "change", plan: .document(doc))
    }

    func runUntilIdle(workers: Int = 8) throws {
        try RolloutScheduler(workspace: ws, options: .init(workers: workers)).runUntilIdle()
    }

    func tasks(_ issue: Int64) throws -> [RolloutTask] { try ws.tasks(issue: issue, by: admin) }

    /// (startedAt, finishedAt) of the latest run of each task, by spec id.
    func intervals(_ issue: Int64) throws -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        for t in try tasks(issue) {
            if let r = t.latestRun, let s = r.startedAt, let f = r.finishedAt {
                out[t.specId] = (s.timeIntervalSince1970, f.timeIntervalSince1970)
            }
        }
        return out
    }

    func count(_ env: String, _ i: Int, _ sql: String) throws -> Int {
        let q = try DatabaseQueue(path: path(env, i))
        return try q.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

/// SQL that keeps SQLite busy for a while (a recursive CTE materialised into a table).
func slowSQL(_ table: String, rows: Int = 400_000) -> String {
    "CREATE TABLE \(table) AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(rows)) SELECT x FROM c;"
}
