import Foundation
import GRDB
import SluiceSQL
import Testing
@testable import SluiceEngine

@Suite struct PlanCheckTests {
    private func check(_ checks: [PlanCheck], _ kind: PlanCheckKind) throws -> PlanCheck {
        try #require(checks.first { $0.kind == kind })
    }

    @Test func aDryRunReportsTheThirdStatementAndLeavesTheTargetUnchanged() throws {
        let t = try TestWorkspace()
        try DatabaseQueue(path: t.path("test", 0)).write { db in
            try db.execute(sql: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER); INSERT INTO accounts (balance) VALUES (10), (20);")
        }
        let before = try t.schema("test", 0)
        let sheet = "CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);\nUPDATE accounts SET balance = balance + 1 WHERE id > 0;\n  INSERT INTO missing_table (x) VALUES (1);\nDELETE FROM accounts WHERE id = 1;"
        let issue = try t.issue([("test", [("a", 0, sheet, [], nil)])])
        let checks = try t.ws.planChecks(issue: issue.id, by: t.admin)
        let dryRun = try check(checks, .dryRun)
        #expect(dryRun.status == .error)
        let failure = try #require(dryRun.results.first)
        #expect(failure.statementIndex == 2 && failure.line == 3 && failure.column == 3, "\(failure)")
        #expect(failure.content.contains("statement 3") && failure.content.contains("no such table: missing_table"))
        // Nothing changed: no audit table, balances as they were.
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'audit'") == 0)
        #expect(try t.count("test", 0, "SELECT SUM(balance) FROM accounts") == 30)
        #expect(try t.schema("test", 0) == before)
        // And the automatic rollout waits, saying why.
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .notStarted)
        #expect(task.waitingCause?.hasPrefix("failed checks: dry run ERROR at line 3, column 3") == true, "\(task.waitingCause ?? "")")
    }

    @Test func passingChecksLetTheAutomaticRolloutStartAndFactsFeedRisk() throws {
        let t = try TestWorkspace()
        try DatabaseQueue(path: t.path("test", 0)).write { db in
            try db.execute(sql: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER); INSERT INTO accounts (balance) VALUES (10), (20), (30);")
        }
        let issue = try t.issue([("test", [("a", 0, "UPDATE accounts SET balance = 0 WHERE balance > 15;", [], nil)])])
        let checks = try t.ws.planChecks(issue: issue.id, by: t.admin)
        #expect(checks.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.connect, .dryRun, .review, .statementSummary])
        #expect(checks.allSatisfy { $0.status == .success }, "\(checks)")
        let facts = try #require(try t.ws.checkFacts(issue: issue.id).first)
        #expect(facts.sqlTypes == ["UPDATE"] && facts.tables == ["accounts"] && facts.categories == ["DML"])
        #expect(facts.affectedRows == 2 && facts.affectedRowsExact && facts.tableRows == ["accounts": 3])
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id).first?.status == .done)
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM accounts WHERE balance = 0") == 2)
    }

    @Test func theEnvironmentsReviewPolicyGatesWarnings() throws {
        let t = try TestWorkspace()
        // No policy: review does not gate. With one: a WARNING blocks the automatic rollout.
        try t.ws.setReviewConfig(by: t.admin, environment: "test", .default)
        #expect(throws: SluiceError.self) { try t.ws.setReviewConfig(by: t.dev, environment: "test", .default) }
        #expect(throws: SluiceError.self) {
            try t.ws.setReviewConfig(by: t.admin, environment: "test", ReviewConfig(rules: ["no.such-rule": .init(level: .error)]))
        }
        let issue = try t.issue([("test", [("a", 0, "CREATE TABLE nokey (a TEXT);", [], nil)])])
        let review = try check(try t.ws.planChecks(issue: issue.id, by: t.admin), .review)
        #expect(review.status == .warning && review.results.contains { $0.rule == "table.require-pk" && $0.line == 1 })
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id).first?.waitingCause?.contains("SQL review WARNING") == true)

        // Editing the SQL re-runs the checks; clean SQL rolls out.
        _ = try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "a", sql: "CREATE TABLE keyed (id INTEGER PRIMARY KEY);")
        #expect(try t.ws.planChecks(issue: issue.id, by: t.admin).allSatisfy { $0.status == .success })
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id).first?.status == .done)

        // A project may let warnings through (only its managers may say so); an ERROR still holds.
        #expect(throws: SluiceError.self) { try t.ws.setProjectPolicy(by: t.dev, project: "P", allowWarnings: true) }
        #expect(try t.ws.setProjectPolicy(by: t.admin, project: "P", allowWarnings: true).allowWarnings)
        let warned = try t.issue([("test", [("w", 0, "CREATE TABLE nokey2 (a TEXT);", [], nil)])])
        let failing = try t.issue([("test", [("e", 0, "INSERT INTO missing_table VALUES (1);", [], nil)])])
        try t.runUntilIdle()
        #expect(try t.tasks(warned.id).first?.status == .done)
        let failingTasks = try t.tasks(failing.id)
        let failingChecks = try t.ws.planChecks(issue: failing.id, by: t.admin)
        #expect(failingTasks.first?.status == .notStarted, "\(failingTasks) \(failingChecks)")
        #expect(failingTasks.first?.waitingCause?.contains("failed checks: dry run ERROR") == true)
    }

    @Test func laterSpecsOnTheSameDatabaseDryRunAfterTheEarlierOnes() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [
            ("create", 0, "CREATE TABLE later(a);", [], nil),
            ("fill", 0, "INSERT INTO later (a) VALUES (1);", [], nil),
        ])])
        let checks = try t.ws.planChecks(issue: issue.id, by: t.admin)
        #expect(checks.filter { $0.kind == .dryRun }.allSatisfy { $0.status == .success }, "\(checks)")
    }

    @Test func aDryRunPastItsTimeCapIsSkippedWithAWarning() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("slow", 0, slowSQL("big", rows: 3_000_000), [], nil)])])
        let checks = try t.ws.runPlanChecks(by: t.dev, issue: issue.id, options: PlanCheckOptions(dryRunTimeLimit: 0.05))
        let dryRun = try check(checks, .dryRun)
        #expect(dryRun.status == .warning && dryRun.results.first?.content.hasPrefix("skipped") == true, "\(dryRun)")
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'big'") == 0)
        #expect(throws: SluiceError.self) { try t.ws.runPlanChecks(by: t.viewer, issue: issue.id) }
    }

    /// Not a benchmark: a guard that checks of a wide fan-out run concurrently and stay quick.
    @Test func checksOfManyTenantsRunWithBoundedConcurrency() throws {
        let t = try TestWorkspace(testTenants: 200, prodTenants: 0)
        let started = Date()
        let issue = try t.ws.createIssue(by: t.dev, project: "P", title: "fan-out",
                                         plan: .targets(sql: "CREATE TABLE x (id INTEGER PRIMARY KEY);", databases: (0..<200).map { t.ref("test", $0) }, labels: [:],
                                                        type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
        let elapsed = Date().timeIntervalSince(started)
        let checks = try t.ws.planChecks(issue: issue.id, by: t.admin)
        #expect(checks.count == 4 * (try t.tasks(issue.id).count))
        print("plan checks: created an issue over \(try t.tasks(issue.id).count) tenants in \(String(format: "%.2f", elapsed)) s")
    }
}

extension TestWorkspace {
    /// The live schema of a tenant, through the engine's driver.
    func schema(_ env: String, _ i: Int) throws -> String {
        try TargetDrivers.driver(for: .sqlite).liveSchema(try ws.database(ref(env, i)))
    }
}
