import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Hostile sheets end to end on PostgreSQL: written by a developer against a prod database that
/// holds data and a migration history, each is refused by the plan checks and by the rollout at
/// the construct and position the sheet policy names, and nothing changes on the instance:
/// relations, columns, functions, triggers, roles, databases, settings, the app table's rows and
/// the history, in the target and in the other database. Sheets the policy cannot read (SQL
/// built at run time) fail on the executor's fingerprint of Sluice's tables. Legitimate
/// migrations roll out.
@Suite(.serialized) struct PostgresHostileSheetTests {
    @Test func hostileSheetsAreRefusedAtEveryGateAndChangeNothing() throws {
        #expect(Self.hostile.count >= 45)
        let h = try PostgresHostileHarness()
        for (number, sheet) in Self.hostile.enumerated() {
            try h.restoreIfChanged()
            let sql = try h.expand(sheet.sql)
            let label = "hostile #\(number): \(sql)"
            let before = try h.world()

            let issue = try h.t.ws.createIssue(by: h.dev, project: "P", title: "hostile", plan: .document(h.plan(sql)))
            h.expectUnchanged(before, "\(label) [after create]")
            expectRefusal(try h.t.ws.planChecks(issue: issue.id, by: h.t.admin), sheet, "\(label) [checks at create]")
            expectRefusal(try h.t.ws.runPlanChecks(by: h.dev, issue: issue.id), sheet, "\(label) [checks re-run]")
            h.expectUnchanged(before, "\(label) [after check]")

            let task = try h.rollOut(issue.id)
            let message = task.latestRun?.message ?? "no message"
            #expect(task.status == .failed, "\(label): \(task.status) \(message)")
            let refusal = "refused by the sheet policy: line \(sheet.line), column \(sheet.column): \(sheet.construct) is refused"
            #expect(message.contains(refusal), "\(label): \(message)")
            h.expectUnchanged(before, "\(label) [after rollout]")
            #expect(!FileManager.default.fileExists(atPath: h.file), "\(label): the server wrote \(h.file)")
        }
    }

    @Test func sheetsThatWriteTheHistoryAtRunTimeFailOnItsFingerprint() throws {
        let h = try PostgresHostileHarness()
        for (number, sql) in Self.dynamic.enumerated() {
            try h.restoreIfChanged()
            let label = "dynamic #\(number): \(sql)"
            let before = try h.world()
            let issue = try h.t.ws.createIssue(by: h.dev, project: "P", title: "dynamic", plan: .document(h.plan(sql)))
            let checks = try h.t.ws.planChecks(issue: issue.id, by: h.t.admin)
            #expect(!checks.contains { $0.results.contains { $0.title == "refused by the sheet policy" } }, "\(label): \(checks)")
            h.expectUnchanged(before, "\(label) [after check]")
            let task = try h.rollOut(issue.id)
            let message = task.latestRun?.message ?? "no message"
            #expect(task.status == .failed, "\(label): \(task.status) \(message)")
            // Refused by the history's guard trigger, or caught by the fingerprint around the statements.
            #expect(message.contains("the sheet changed Sluice's own history tables") || message.contains("is written by Sluice only"),
                    "\(label): \(message)")
            h.expectUnchanged(before, "\(label) [after rollout]")
        }
    }

    /// A trigger on an application table whose function (a string to the policy) rewrites the
    /// history when the application writes later, outside any task.
    @Test func aTriggerPlantedOnAnAppTableNeverReachesTheHistoryLater() throws {
        let h = try PostgresHostileHarness()
        let sql = "CREATE FUNCTION bomb() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM sluice_migration_history; RETURN NULL; END $$;\n"
            + "CREATE TRIGGER bomb AFTER INSERT ON customers FOR EACH STATEMENT EXECUTE FUNCTION bomb();"
        let issue = try h.t.ws.createIssue(by: h.dev, project: "P", title: "bomb", plan: .document(h.plan(sql)))
        let task = try h.rollOut(issue.id)
        let history = "SELECT count(*) FROM sluice_migration_history"
        let recorded = try TestServer.int(history, database: h.target)
        // The application inserts a customer, as it does every day: the planted trigger's DELETE is
        // refused by the history's guard (the insert fails, naming it), and the history stays whole.
        #expect(task.status == .done)
        #expect(performing: { try TestServer.query("INSERT INTO customers (name) VALUES ('Barbara')", database: h.target) },
                throws: { "\($0)".contains("sluice_migration_history is written by Sluice only") })
        #expect(try TestServer.int(history, database: h.target) == recorded,
                "task \(task.status) (\(task.latestRun?.message ?? "")) planted a trigger that emptied the history when the app wrote")
    }

    /// A DO block's body is code the policy cannot read. Before approval it runs only as the check
    /// role (here a non-superuser), so what needs more fails in the dry run and nothing reaches the
    /// server; the checks say the block must be read. (Approved, it runs with the instance's own
    /// role: docs/sheet-policy.md recommends one that is not a superuser.)
    @Test func codeBuiltAtRunTimeIsFlaggedAndItsDryRunRunsWithTheCheckRolesPrivilegesOnly() throws {
        let h = try PostgresHostileHarness()
        defer { _ = try? TestServer.query("DROP ROLE IF EXISTS sluice_hostile_intruder") }
        let sheets = [
            ("DO $$ BEGIN EXECUTE 'CREATE ROLE sluice_hostile_' || 'intruder LOGIN SUPERUSER'; END $$;", "must be superuser"),
            ("DO $$ BEGIN EXECUTE format('COPY customers TO %L', '\(h.file)'); END $$;", "must be superuser"),
        ]
        for (number, (sql, failure)) in sheets.enumerated() {
            try h.restoreIfChanged()
            let label = "run-time #\(number): \(sql)"
            let before = try h.world()
            let issue = try h.t.ws.createIssue(by: h.dev, project: "P", title: "run-time", plan: .document(h.plan(sql)))
            let results = try h.t.ws.planChecks(issue: issue.id, by: h.t.admin).flatMap(\.results)
            #expect(results.contains { $0.title == "code the sheet policy cannot read" && $0.line == 1 }, "\(label): \(results)")
            #expect(results.contains { $0.status == .error && $0.title == "dry run failed" && $0.content.contains(failure) }, "\(label): \(results)")
            h.expectUnchanged(before, "\(label) [after check]", target: false)
            #expect(!FileManager.default.fileExists(atPath: h.file), "\(label): the server wrote \(h.file)")
        }
    }

    @Test func legitimateMigrationsRollOut() throws {
        #expect(Self.legitimate.count >= 10)
        let h = try PostgresHostileHarness()
        for (number, sheet) in Self.legitimate.enumerated() {
            try h.restore()
            let label = "legitimate #\(number): \(sheet.sql)"
            let before = try h.world()
            let issue = try h.t.ws.createIssue(by: h.dev, project: "P", title: "legitimate", plan: .document(h.plan(sheet.sql)))
            let checks = try h.t.ws.planChecks(issue: issue.id, by: h.t.admin)
            #expect(!checks.isEmpty && checks.allSatisfy { $0.status == .success }, "\(label): \(checks.map { "\($0.kind) \($0.status) \($0.results)" })")
            let task = try h.rollOut(issue.id)
            #expect(task.status == .done, "\(label): \(task.status) \(task.latestRun?.message ?? "")")
            #expect((try? TestServer.int(sheet.check, database: h.target)) == sheet.expected, "\(label)")
            #expect((try? TestServer.int("SELECT count(*) FROM sluice_migration_history WHERE status = 'DONE'", database: h.target)) == 2, "\(label)")
            h.expectUnchanged(before, "\(label) [other databases]", target: false)
        }
    }

    /// The plan check of the task refuses the sheet at the expected construct and position.
    private func expectRefusal(_ checks: [PlanCheck], _ sheet: HostilePostgresSheet, _ label: String) {
        guard let dryRun = checks.first(where: { $0.kind == .dryRun }), let first = dryRun.results.first else {
            Testing.Issue.record("\(label): no dry-run check in \(checks)")
            return
        }
        #expect(dryRun.status == .error, "\(label): \(dryRun.status)")
        #expect(first.status == .error && first.title == "refused by the sheet policy", "\(label): \(first)")
        #expect(first.content.contains("\(sheet.construct) is refused"), "\(label): \(first.content)")
        let found = "statement \(first.statementIndex.map(String.init) ?? "-") at \(first.line ?? 0):\(first.column ?? 0)"
        #expect(first.statementIndex == sheet.statement && first.line == sheet.line && first.column == sheet.column,
                "\(label): \(found), expected statement \(sheet.statement) at \(sheet.line):\(sheet.column)")
    }
}

/// A prod-only workspace over two databases holding customers and a migration history (one
/// honest change rolled out by an admin), each kept as a template to restore, and a developer.
final class PostgresHostileHarness {
    let t: PostgresWorkspace
    let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
    let file = "/tmp/sluice-hostile-" + UUID().uuidString + ".csv"
    private var templates: [String: String] = [:]
    private var baseline: World?

    /// What must not change: the instance's roles, databases and settings; the catalogue and data
    /// of the target and of the other database; the metastore's members, environments,
    /// instances, databases, projects and project members.
    struct World: Equatable {
        var instance: [String]
        var target: [String]
        var other: [String]
        var metastore: [String]
    }

    static let seed = """
        CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers (name) VALUES ('Ada'), ('Grace'), ('Linus');
        """

    init() throws {
        t = try PostgresWorkspace(tag: "hostile", perEnvironment: 2, environments: ["prod"])
        _ = try t.ws.addMember(by: t.admin, email: dev.email, name: dev.name, role: "member", password: "member-password")
        _ = try t.ws.addProjectMember(by: t.admin, project: "P", email: dev.email, role: "developer")
        for i in 0..<2 { try TestServer.query(Self.seed, database: t.name("prod", i)) }
        let honest = try t.issue([("prod", (0..<2).map { (id: "honest\($0)", db: $0, sql: "CREATE TABLE honest (id int PRIMARY KEY);") })])
        try approveIfNeeded(honest.id)
        _ = try t.ws.runStage(by: t.admin, issue: honest.id, environment: "prod")
        try t.runUntilIdle()
        let tasks = try t.tasks(honest.id)
        guard tasks.count == 2, tasks.allSatisfy({ $0.status == .done }) else {
            throw SluiceError.failure("the honest change did not roll out: \(tasks.map { "\($0.status) \($0.latestRun?.message ?? "")" })")
        }
        TargetDrivers.closeIdleConnections()
        for name in [target, other] {
            templates[name] = name + "_tmpl"
            try TestServer.query("CREATE DATABASE \(name)_tmpl TEMPLATE \(name)")
        }
        t.databases["templates"] = Array(templates.values)
        baseline = try world()
    }

    var target: String { t.name("prod", 0) }
    var other: String { t.name("prod", 1) }

    func plan(_ sql: String) -> PlanDocument {
        PlanDocument(steps: [.init(title: "prod", specs: [.init(id: "h", changeDatabaseConfig: .init(target: t.target("prod", 0), sheet: sql))])])
    }

    func expand(_ sql: String) throws -> String {
        let nextTask = try t.ws.store.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM task") ?? 0 }
        return sql.replacingOccurrences(of: "{OTHERDB}", with: other).replacingOccurrences(of: "{FILE}", with: file)
            .replacingOccurrences(of: "{FUTURE_TASK}", with: "\(nextTask + 2)")
    }

    /// Approves if the issue needs it, runs the prod stage as the admin and waits for the task.
    func rollOut(_ id: Int64) throws -> RolloutTask {
        try approveIfNeeded(id)
        _ = try t.ws.runStage(by: t.admin, issue: id, environment: "prod")
        try t.runUntilIdle()
        return try #require(try t.tasks(id).first)
    }

    func approveIfNeeded(_ id: Int64) throws {
        for _ in 0..<6 {
            let issue = try t.ws.issue(id, by: t.admin)
            guard issue.approvalStatus == .pending || issue.approvalStatus == .checking else { return }
            guard (try? t.ws.approve(by: t.admin, issue: id)) != nil else { return }
        }
    }

    /// Both databases back to their templates.
    func restore() throws {
        TargetDrivers.closeIdleConnections()
        for (name, template) in templates {
            try TestServer.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try TestServer.query("CREATE DATABASE \(name) TEMPLATE \(template)")
        }
        try? FileManager.default.removeItem(atPath: file)
    }

    /// Restores the databases when an earlier case left anything behind.
    func restoreIfChanged() throws {
        if try world() != baseline { try restore() }
    }

    func world() throws -> World {
        let tables = ["member", "environment", "instance", "targetDatabase", "project", "projectMember"]
        let dump = try t.ws.store.read { db in
            try tables.flatMap { table in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table) \($0)" } }
        }
        return World(instance: try TestServer.query(instanceSQL).map { $0 ?? "NULL" },
                     target: try TestServer.query(Self.catalogueSQL, database: target).map { $0 ?? "NULL" },
                     other: try TestServer.query(Self.catalogueSQL, database: other).map { $0 ?? "NULL" }, metastore: dump)
    }

    /// Records what changed since `before`; `target: false` leaves the target database out.
    func expectUnchanged(_ before: World, _ label: String, target: Bool = true) {
        guard let after = try? world() else {
            Testing.Issue.record("\(label): cannot read the catalogue")
            return
        }
        func diff(_ a: [String], _ b: [String]) -> String {
            "lost \(a.filter { !b.contains($0) }), gained \(b.filter { !a.contains($0) })"
        }
        #expect(after.instance == before.instance, "\(label): instance \(diff(before.instance, after.instance))")
        if target { #expect(after.target == before.target, "\(label): target \(diff(before.target, after.target))") }
        #expect(after.other == before.other, "\(label): other database \(diff(before.other, after.other))")
        #expect(after.metastore == before.metastore, "\(label): metastore \(diff(before.metastore, after.metastore))")
    }

    /// Roles, memberships, databases (other tests' `sl_…` ones left out), per-database and
    /// per-role settings, tablespaces, ALTER SYSTEM's file, prepared transactions, slots.
    var instanceSQL: String {
        #"""
        SELECT x FROM (
          SELECT 'role ' || rolname || ' ' || rolsuper || rolinherit || rolcreaterole || rolcreatedb || rolcanlogin || rolreplication
                 || rolbypassrls || ' ' || rolconnlimit || ' ' || COALESCE(rolvaliduntil::text, '') FROM pg_roles WHERE \#(Self.ours("rolname"))
          UNION ALL SELECT 'membership ' || m.roleid::regrole::text || ' ' || m.member::regrole::text FROM pg_auth_members m
            WHERE \#(Self.ours("m.member::regrole::text")) AND \#(Self.ours("m.roleid::regrole::text"))
          UNION ALL SELECT 'database ' || datname || ' ' || datallowconn || ' ' || datconnlimit || ' ' || COALESCE(datacl::text, '')
                 || ' ' || pg_get_userbyid(datdba) FROM pg_database WHERE datname NOT LIKE 'sl\_%' OR datname LIKE '\#(t.prefix)%'
          UNION ALL SELECT 'setting ' || COALESCE(d.datname, '-') || ' ' || COALESCE(r.rolname, '-') || ' ' || s.setconfig::text
            FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole
            WHERE d.datname IS NULL OR d.datname NOT LIKE 'sl\_%' OR d.datname LIKE '\#(t.prefix)%'
          UNION ALL SELECT 'tablespace ' || spcname FROM pg_tablespace
          UNION ALL SELECT 'auto.conf ' || name || '=' || COALESCE(setting, '') FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'
          UNION ALL SELECT 'prepared ' || gid FROM pg_prepared_xacts
          UNION ALL SELECT 'slot ' || slot_name FROM pg_replication_slots
        ) s(x) ORDER BY x
        """#
    }

    /// Whether a role is this test's or the server's own: other tests' roles (`sl_…`, and
    /// `sluice_…` but for this test's `sluice_hostile_…`) come and go while it runs.
    static func ours(_ role: String) -> String {
        #"(\#(role) NOT LIKE 'sl\_%' AND (\#(role) NOT LIKE 'sluice\_%' OR \#(role) LIKE 'sluice\_hostile\_%'))"#
    }

    /// Every relation, column, function, trigger, rule, policy, extension, language and schema of
    /// a database, its large objects, and the rows of customers, the history and the fence.
    static let catalogueSQL = #"""
        SET search_path = pg_catalog, public;
        SELECT x FROM (
          SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || pg_get_userbyid(c.relowner) || ' '
                 || COALESCE(c.relacl::text, '') || ' ' || c.relrowsecurity || ' ' || c.relhastriggers
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          UNION ALL SELECT 'col ' || a.attrelid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
                 || a.attnotnull || ' ' || COALESCE(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%' AND a.attnum > 0 AND NOT a.attisdropped
          UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ' ' || l.lanname || ' ' || p.prosecdef || ' '
                 || md5(COALESCE(p.prosrc, '') || COALESCE(p.probin, ''))
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          UNION ALL SELECT 'trigger ' || tgname || ' ON ' || tgrelid::regclass::text || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
          UNION ALL SELECT 'event trigger ' || evtname || ' ' || evtenabled::text FROM pg_event_trigger
          UNION ALL SELECT 'rule ' || r.rulename || ' ON ' || r.ev_class::regclass::text
            FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          UNION ALL SELECT 'policy ' || polname || ' ON ' || polrelid::regclass::text FROM pg_policy
          UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
          UNION ALL SELECT 'language ' || lanname FROM pg_language
          UNION ALL SELECT 'schema ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || COALESCE(nspacl::text, '') FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\_temp%' AND nspname NOT LIKE 'pg\_toast\_temp%'
          UNION ALL SELECT 'default acl ' || defaclrole::regrole::text || ' ' || defaclacl::text FROM pg_default_acl
          UNION ALL SELECT 'large objects ' || count(*) FROM pg_largeobject_metadata
          UNION ALL SELECT 'customers ' || count(*) || ' ' || COALESCE(md5(string_agg(c::text, ',' ORDER BY c.id)), '') FROM customers c
          UNION ALL SELECT 'history ' || count(*) || ' ' || COALESCE(md5(string_agg(h::text, ',' ORDER BY h.id)), '') FROM sluice_migration_history h
          UNION ALL SELECT 'fence ' || count(*) || ' ' || COALESCE(md5(string_agg(f::text, ',' ORDER BY f.workspace, f.task_run_id)), '')
            FROM sluice_run_fence f
        ) s(x) ORDER BY x
        """#
}
