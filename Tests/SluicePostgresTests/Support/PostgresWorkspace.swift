import Foundation
import GRDB
@testable import SluiceEngine

/// A real workspace over real databases on the test server: environments `test` (automatic)
/// and `prod` (manual), a PostgreSQL instance for each, and `perEnvironment` fresh databases
/// in each (named PREFIX_test_N / PREFIX_prod_N), dropped again on deinit.
final class PostgresWorkspace {
    let dir: String
    let ws: Workspace
    let admin: Principal
    let prefix: String
    var databases: [String: [String]] = [:]

    /// The login role plan checks connect as on the test server: a member of the server's owner
    /// role (so the dry run may change its tables) without its superuser powers.
    static let checkRole = "sluice_checker"

    /// `checkRole`: the role dry runs connect as (nil: none, dry runs limited to EXPLAIN).
    init(tag: String, perEnvironment: Int, environments: [String] = ["test", "prod"], maxConnections: Int = 8,
         testAutomatic: Bool = true, checkRole: String? = PostgresWorkspace.checkRole) throws {
        let conninfo = try TestServer.conninfo()
        prefix = TestServer.uniquePrefix(tag)
        dir = NSTemporaryDirectory() + "sluice-pg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        PasswordHasher.useTestCost() // cheap password hashes for test members (docs/sign-in.md)
        ws = try Workspace(home: dir + "/home", create: true)
        admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
        for (order, env) in environments.enumerated() {
            _ = try ws.addEnvironment(by: admin, name: env, order: order, protected: env == "prod",
                                      autoRollout: env == "test" ? testAutomatic : false, rolloutRoles: nil)
            databases[env] = try TestServer.createDatabases(prefix: "\(prefix)_\(env)", count: perEnvironment)
            _ = try ws.addInstance(by: admin, name: "pg\(env)", engine: .postgres, location: conninfo, environment: env,
                                   maxConnections: maxConnections)
            _ = try ws.syncInstance(by: admin, name: "pg\(env)")
            if let checkRole {
                try Self.ensureChecker()
                _ = try ws.updatePostgresInstance(by: admin, name: "pg\(env)", checkRole: checkRole)
            }
        }
        _ = try ws.createProject(by: admin, key: "P", title: "Project")
    }

    /// Creates the check role once per server (a DO block: two suites may race to create it).
    static func ensureChecker() throws {
        _ = try? TestServer.query("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(checkRole)') THEN
                CREATE ROLE \(checkRole) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; GRANT postgres TO \(checkRole);
              END IF;
            END $$
            """)
    }

    deinit {
        TestServer.drop(databases.values.flatMap { $0 })
        try? FileManager.default.removeItem(atPath: dir)
    }

    func name(_ env: String, _ i: Int) -> String { databases[env]?[i] ?? "?" }
    func target(_ env: String, _ i: Int) -> String { "pg\(env)/\(name(env, i))" }
    func ref(_ env: String, _ i: Int) -> DatabaseRef { DatabaseRef(instance: "pg\(env)", name: name(env, i)) }

    /// An issue with one step per environment, each spec given as (id, env index, sql).
    func issue(_ steps: [(String, [(id: String, db: Int, sql: String)])], version: String? = nil) throws -> Issue {
        let doc = PlanDocument(steps: steps.map { env, specs in
            PlanDocument.Step(title: env, specs: specs.map { s in
                PlanDocument.Spec(id: s.id, changeDatabaseConfig: .init(target: target(env, s.db), sheet: s.sql, schemaVersion: version))
            })
        })
        return try ws.createIssue(by: admin, project: "P", title: "change", plan: .document(doc))
    }

    func runUntilIdle(workers: Int = 8) throws {
        try RolloutScheduler(workspace: ws, options: .init(workers: workers)).runUntilIdle()
    }

    func tasks(_ issue: Int64) throws -> [RolloutTask] { try ws.tasks(issue: issue, by: admin) }

    func count(_ env: String, _ i: Int, _ sql: String) throws -> Int { try TestServer.int(sql, database: name(env, i)) }
}
