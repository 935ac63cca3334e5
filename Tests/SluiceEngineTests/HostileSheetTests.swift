import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Hostile sheets end to end: written by a developer against a prod tenant that holds real data
/// and a migration history, each is refused by the plan checks and by the rollout with the
/// construct and position the sheet policy names, and no file changes, neither the target, nor
/// another tenant, nor the metastore (beyond the issue it records). Legitimate migrations, the
/// table rebuild included, pass their checks and roll out.
@Suite struct HostileSheetTests {
    @Test func hostileSheetsAreRefusedAtEveryGateAndChangeNothing() throws {
        #expect(Self.hostile.count >= 45)
        let h = try SQLiteHostileHarness(plantForger: true)
        for (number, sheet) in Self.hostile.enumerated() {
            try h.restore()
            let sql = try h.expand(sheet.sql)
            let label = "hostile #\(number): \(sql)"
            let before = try h.world()

            let issue = try h.t.issue([("prod", [("h", 0, sql, [], nil)])], by: h.t.dev)
            h.expectUnchanged(before, "\(label) [after create]")
            expectRefusal(try h.t.ws.planChecks(issue: issue.id, by: h.t.admin), sheet, "\(label) [checks at create]")

            let rerun = try h.t.ws.runPlanChecks(by: h.t.dev, issue: issue.id)
            expectRefusal(rerun, sheet, "\(label) [checks re-run]")
            h.expectUnchanged(before, "\(label) [after check]")

            try h.approveIfNeeded(issue.id)
            _ = try h.t.ws.runStage(by: h.t.admin, issue: issue.id, environment: "prod")
            try h.t.runUntilIdle()
            let task = try #require(try h.t.tasks(issue.id).first)
            let message = task.latestRun?.message ?? "no message"
            #expect(task.status == .failed, "\(label): \(task.status) \(message)")
            let refusal = "refused by the sheet policy: line \(sheet.line), column \(sheet.column): \(sheet.construct) is refused"
            #expect(message.contains(refusal), "\(label): \(message)")
            h.expectUnchanged(before, "\(label) [after rollout]")
            #expect(!FileManager.default.fileExists(atPath: h.vacuumPath), "\(label): VACUUM INTO wrote \(h.vacuumPath)")
        }
    }

    @Test func legitimateMigrationsPassTheirChecksAndRollOut() throws {
        #expect(Self.legitimate.count >= 15)
        let h = try SQLiteHostileHarness(plantForger: false)
        for (number, sheet) in Self.legitimate.enumerated() {
            try h.restore()
            let label = "legitimate #\(number): \(sheet.sql)"
            let before = try h.world()
            let issue = try h.t.issue([("prod", [("l", 0, sheet.sql, [], nil)])], by: h.t.dev)
            let checks = try h.t.ws.planChecks(issue: issue.id, by: h.t.admin)
            #expect(!checks.isEmpty && checks.allSatisfy { $0.status == .success }, "\(label): \(checks.map { "\($0.kind) \($0.status) \($0.results)" })")
            try h.approveIfNeeded(issue.id)
            _ = try h.t.ws.runStage(by: h.t.admin, issue: issue.id, environment: "prod")
            try h.t.runUntilIdle()
            let task = try #require(try h.t.tasks(issue.id).first)
            #expect(task.status == .done, "\(label): \(task.status) \(task.latestRun?.message ?? "")")
            #expect((try? h.t.count("prod", 0, sheet.check)) == sheet.expected, "\(label)")
            #expect((try? h.t.count("prod", 0, "SELECT COUNT(*) FROM sluice_migration_history WHERE status = 'DONE'")) == 2, "\(label)")
            h.expectUnchanged(before, "\(label) [other files]", except: h.t.path("prod", 0))
        }
    }

    @Test func aRebuildThatLeavesADanglingForeignKeyFailsAndChangesNothing() throws {
        let h = try SQLiteHostileHarness(plantForger: false)
        let before = try h.world()
        let issue = try h.t.issue([("prod", [("r", 0, Self.danglingRebuild, [], nil)])], by: h.t.dev)
        let problems = "PRAGMA foreign_key_check found 2 violation(s): orders row 1 references customers with no match; "
            + "orders row 2 references customers with no match"
        let dryRun = try #require(try h.t.ws.planChecks(issue: issue.id, by: h.t.admin).first { $0.kind == .dryRun })
        let failure = try #require(dryRun.results.first)
        #expect(dryRun.status == .error && failure.title == "dry run failed", "\(dryRun)")
        #expect(failure.content.contains(problems), "\(failure.content)")
        #expect(failure.statementIndex == 7 && failure.line == 8 && failure.column == 1, "\(failure)")
        h.expectUnchanged(before, "dangling rebuild [after check]")
        try h.approveIfNeeded(issue.id)
        _ = try h.t.ws.runStage(by: h.t.admin, issue: issue.id, environment: "prod")
        try h.t.runUntilIdle()
        let task = try #require(try h.t.tasks(issue.id).first)
        #expect(task.status == .failed)
        #expect(task.latestRun?.message?.contains(problems + "; the table rebuild is rolled back") == true, "\(task.latestRun?.message ?? "")")
        h.expectUnchanged(before, "dangling rebuild [after rollout]")
        #expect(try h.t.count("prod", 0, "SELECT COUNT(*) FROM customers WHERE id = 1") == 1)
    }

    /// The plan check of the task refuses the sheet at the expected construct and position.
    private func expectRefusal(_ checks: [PlanCheck], _ sheet: HostileSQLiteSheet, _ label: String) {
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

/// A workspace whose prod tenants hold customers and orders and a migration history (one honest
/// change rolled out by an admin), with every tenant file kept as a template to restore.
final class SQLiteHostileHarness {
    let t: TestWorkspace
    let metastore: String
    let vacuumPath = "/tmp/sluice-hostile-" + UUID().uuidString + ".db"
    private var templates: [String: Data] = [:]

    /// What must not change: the bytes of every file in the tenant folders, and the metastore's
    /// members, environments, instances, databases, projects and project members.
    struct World: Equatable {
        var files: [String: Data]
        var metastore: [String]
    }

    static let seed = """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
        INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com'), ('Grace', 'grace@example.com'), ('Linus', 'linus@example.com');
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER NOT NULL, note TEXT);
        INSERT INTO orders (customer_id, total, note) VALUES (1, 10, 'a'), (1, 120, 'b'), (2, 45, 'c'), (3, 300, 'd');
        CREATE TABLE audit_seed (id INTEGER PRIMARY KEY, note TEXT);
        CREATE VIRTUAL TABLE docs USING fts4(body);
        INSERT INTO docs (body) VALUES ('first');
        """

    /// A trigger left in the target outside Sluice that forges history when it fires.
    static let forger = """
        CREATE TRIGGER audit_forger AFTER INSERT ON audit_seed BEGIN
          INSERT INTO sluice_migration_history (type, status, statement, checksum, schemaBefore, schemaAfter, durationMs, appliedBy, appliedAt)
          VALUES ('MIGRATE', 'DONE', 'forged', 'x', '', '', 0, 'eve', 'now');
        END;
        """

    init(plantForger: Bool) throws {
        t = try TestWorkspace(testTenants: 1, prodTenants: 3)
        metastore = Workspace.metastorePath(home: t.dir + "/home")
        for path in tenantPaths {
            try DatabaseQueue(path: path).write { db in try db.execute(sql: Self.seed) }
        }
        // One honest change, rolled out by an admin, gives every prod tenant its history.
        let honest = try t.issue([("prod", (0..<3).map { (id: "honest\($0)", tenant: $0, sql: "CREATE TABLE honest (id INTEGER PRIMARY KEY);",
                                                          deps: [String](), at: String?.none) })], by: t.admin)
        try approveIfNeeded(honest.id)
        _ = try t.ws.runStage(by: t.admin, issue: honest.id, environment: "prod")
        try t.runUntilIdle()
        let tasks = try t.tasks(honest.id)
        guard tasks.count == 3, tasks.allSatisfy({ $0.status == .done }) else {
            throw SluiceError.failure("the honest change did not roll out: \(tasks.map { "\($0.status) \($0.latestRun?.message ?? "")" })")
        }
        if plantForger {
            try DatabaseQueue(path: t.path("prod", 0)).write { db in try db.execute(sql: Self.forger) }
        }
        for path in tenantPaths { templates[path] = try Data(contentsOf: URL(fileURLWithPath: path)) }
    }

    var tenantPaths: [String] { [t.path("test", 0)] + (0..<3).map { t.path("prod", $0) } }

    var tenantFolders: [String] { ["\(t.dir)/test", "\(t.dir)/prod"] }

    /// Every tenant file back to its template, and nothing else in the tenant folders.
    func restore() throws {
        for folder in tenantFolders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where templates["\(folder)/\(name)"] == nil {
                try FileManager.default.removeItem(atPath: "\(folder)/\(name)")
            }
        }
        for (path, data) in templates { try data.write(to: URL(fileURLWithPath: path)) }
        try? FileManager.default.removeItem(atPath: vacuumPath)
    }

    /// The sheet with its placeholders filled in.
    func expand(_ sql: String) throws -> String {
        let nextTask = try t.ws.store.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM task") ?? 0 }
        return sql.replacingOccurrences(of: "{METASTORE}", with: metastore)
            .replacingOccurrences(of: "{OTHER}", with: t.path("prod", 1))
            .replacingOccurrences(of: "{VACUUM}", with: vacuumPath)
            .replacingOccurrences(of: "{FUTURE_TASK}", with: "\(nextTask + 2)")
    }

    func world() throws -> World {
        var files: [String: Data] = [:]
        for folder in tenantFolders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                files["\(folder)/\(name)"] = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
            }
        }
        let tables = ["member", "environment", "instance", "targetDatabase", "project", "projectMember"]
        let dump = try t.ws.store.read { db in
            try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table) \($0)" }
            }
        }
        return World(files: files, metastore: dump)
    }

    /// Records every file that appeared, vanished or changed since `before`, and every change of
    /// the metastore's dump; `except` is a file allowed to change.
    func expectUnchanged(_ before: World, _ label: String, except: String? = nil) {
        guard let after = try? world() else {
            Testing.Issue.record("\(label): cannot read the files")
            return
        }
        let names = Set(before.files.keys).union(after.files.keys).filter { $0 != except }.sorted()
        let changed = names.filter { before.files[$0] != after.files[$0] }.map { name -> String in
            switch (before.files[name], after.files[name]) {
            case (nil, _): return "\(name) appeared"
            case (_, nil): return "\(name) vanished"
            default: return "\(name) changed"
            }
        }
        #expect(changed.isEmpty, "\(label): \(changed.joined(separator: ", "))")
        let gone = before.metastore.filter { !after.metastore.contains($0) }
        let new = after.metastore.filter { !before.metastore.contains($0) }
        #expect(gone.isEmpty && new.isEmpty, "\(label): metastore lost \(gone), gained \(new)")
    }

    /// Approves every step of the issue's approval flow, if it has one, with members other than its creator.
    func approveIfNeeded(_ id: Int64) throws {
        for _ in 0..<6 {
            let issue = try t.ws.issue(id, by: t.admin)
            guard issue.approvalStatus == .pending || issue.approvalStatus == .checking else { return }
            guard [t.owner, t.dba, t.releaser, t.admin].contains(where: { (try? t.ws.approve(by: $0, issue: id)) != nil }) else { return }
        }
    }
}
