import Foundation

/// Builds the ready-to-explore demo workspace of CLI.md.
public enum DemoWorkspace {
    public static let password = "sluice-demo-pw"
    public static let members: [(email: String, role: String, projectRole: String?)] = [
        ("admin@example.com", "admin", nil),
        ("dba@example.com", "dba", nil),
        ("owner@example.com", "member", "owner"),
        ("dev@example.com", "member", "developer"),
    ]

    /// Creates the demo in `home`. With `reset`, replaces a workspace that `sluice demo` made;
    /// any other workspace (one made by `sluice init`, say) is refused, reset or not: nothing a
    /// person made is ever lost by a demo command.
    @discardableResult
    public static func build(home: String, reset: Bool) throws -> Workspace {
        let fm = FileManager.default
        let metastore = Workspace.metastorePath(home: home)
        let dataDir = (home as NSString).appendingPathComponent("demo")
        switch origin(home: home) {
        case .empty:
            break
        case .other(let found):
            throw SluiceError.precondition("\(home) holds \(found); a demo command never replaces or changes it",
                                           hint: "Build the demo in another home: `sluice demo --home ~/.local/share/sluice-demo`.")
        case .demo:
            guard reset else {
                throw SluiceError.precondition("there is already a demo workspace at \(home)",
                                               hint: "Run `sluice demo --reset` to replace it with a fresh demo, or pick another --home.")
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: metastore + suffix) }
            try? fm.removeItem(atPath: (home as NSString).appendingPathComponent("session"))
            try? fm.removeItem(atPath: dataDir)
        }
        for env in ["test", "prod"] {
            let dir = (dataDir as NSString).appendingPathComponent("sqlite-\(env)")
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try seedAppDatabase((dir as NSString).appendingPathComponent("app.db"), rows: env == "prod" ? 12 : 4)
        }

        let ws = try Workspace(home: home, create: true)
        let admin = try ws.initialise(adminEmail: "admin@example.com", name: "Ada Admin", password: password)
        try mark(ws)
        _ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: true, rolloutRoles: [])
        _ = try ws.addEnvironment(by: admin, name: "prod", order: 1, protected: true, autoRollout: false, rolloutRoles: nil)
        for env in ["test", "prod"] {
            _ = try ws.addInstance(by: admin, name: "sqlite-\(env)", engine: .sqlite,
                                   location: (dataDir as NSString).appendingPathComponent("sqlite-\(env)"), environment: env, maxConnections: 4)
            _ = try ws.syncInstance(by: admin, name: "sqlite-\(env)")
        }
        _ = try ws.createProject(by: admin, key: "DEMO", title: "Demo shop")
        for m in members where m.email != "admin@example.com" {
            _ = try ws.addMember(by: admin, email: m.email, role: m.role, password: password)
            if let pr = m.projectRole { _ = try ws.addProjectMember(by: admin, project: "DEMO", email: m.email, role: pr) }
        }
        let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
        let dba = Principal(email: "dba@example.com", name: "Dba", role: "dba")
        let targets = [DatabaseRef(instance: "sqlite-test", name: "app"), DatabaseRef(instance: "sqlite-prod", name: "app")]

        // An issue already rolled out everywhere.
        let first = try ws.createIssue(by: dev, project: "DEMO", title: "Create audit_log table", plan: .targets(
            sql: """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                at TEXT NOT NULL DEFAULT (datetime('now'))
            );
            CREATE INDEX idx_audit_log_at ON audit_log(at);
            """, databases: targets, labels: [:], type: .migrate, schemaVersion: "0001", earliestAllowedTime: nil))
        let scheduler = try RolloutScheduler(workspace: ws, options: .init(workers: 4))
        try scheduler.runUntilIdle()
        _ = try ws.runStage(by: dba, issue: first.id, environment: "prod")
        try scheduler.runUntilIdle()

        // An issue done in test, waiting for someone to roll it out to prod.
        _ = try ws.createIssue(by: dev, project: "DEMO", title: "Add phone column to customers",
                               description: "Customers asked to be called back.", plan: .targets(
            sql: "ALTER TABLE customers ADD COLUMN phone TEXT;\nUPDATE customers SET phone = '' WHERE phone IS NULL;",
            databases: targets, labels: [:], type: .migrate, schemaVersion: "0002", earliestAllowedTime: nil))
        try scheduler.runUntilIdle()
        return ws
    }

    private static func seedAppDatabase(_ path: String, rows: Int) throws {
        try? FileManager.default.removeItem(atPath: path)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let conn = try SQLiteConnection(path: path)
        var sql = """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
                                 total_cents INTEGER NOT NULL, created_at TEXT NOT NULL);
            CREATE INDEX idx_orders_customer ON orders(customer_id);

            """
        let names = ["Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Niklaus", "Margaret", "Ken", "Radia", "Alan", "Leslie"]
        for i in 0..<rows {
            let name = names[i % names.count]
            sql += "INSERT INTO customers (name, email) VALUES ('\(name)', '\(name.lowercased())\(i)@example.com');\n"
            sql += "INSERT INTO orders (customer_id, total_cents, created_at) VALUES (\(i + 1), \((i + 1) * 1250), '2026-11-0\(i % 9 + 1)');\n"
        }
        try conn.execute(sql)
    }
}
