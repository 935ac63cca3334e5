import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Risk rules, the issue's risk (highest over every task), and approving by flow (DESIGN §5).
@Suite struct RiskApprovalTests {
    func create(_ t: TestWorkspace, _ sql: String, envs: [String] = ["test", "prod"], type: SpecType = .migrate,
                by: Principal? = nil) throws -> SluiceEngine.Issue {
        try t.ws.createIssue(by: by ?? t.dev, project: "P", title: "change", plan: .targets(
            sql: sql, databases: envs.map { t.ref($0, 0) }, labels: [:], type: type, schemaVersion: nil, earliestAllowedTime: nil))
    }

    func denied(_ body: () throws -> Void) -> SluiceError? {
        do { try body(); return nil } catch let e as SluiceError { return e } catch { return nil }
    }

    @Test func statementsAreProfiledWithTypeSourceAndTables() {
        let p = RiskStatementClassifier.profiles(sql: """
            ALTER TABLE main.orders ADD COLUMN note TEXT;
            UPDATE orders SET note = '' WHERE id > 3;
            SELECT count(*) FROM orders;
            """, engine: .sqlite, specType: .migrate)
        #expect(p.map(\.sqlType) == ["ALTER_TABLE", "UPDATE", "SELECT"])
        #expect(p.map(\.source) == [.ddl, .dml, .ddl])
        #expect(p[0].tables == ["orders"])
        #expect(RiskStatementClassifier.profiles(sql: "SELECT 1;", engine: .sqlite, specType: .data).map(\.source) == [.dml])
        #expect(RiskStatementClassifier.profiles(sql: "", engine: .sqlite, specType: .baseline).isEmpty)
    }

    @Test func theHighestRiskOverEveryStageDecidesTheFlow() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "DDL on prod is HIGH", source: .ddl, level: .high, condition: #"environment_id == "prod""#)
        _ = try t.ws.addRiskRule(by: t.admin, title: "DDL on test is MODERATE", source: .ddl, level: .moderate, condition: #"environment_id == "test""#)
        _ = try t.ws.addFlow(by: t.admin, name: "owner-dba", roles: ["owner", "dba"])
        _ = try t.ws.addFlow(by: t.admin, name: "owner", roles: ["owner"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "HIGH", flow: "owner-dba")
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "MODERATE", flow: "owner")

        let both = try create(t, "ALTER TABLE t ADD COLUMN b TEXT;")
        #expect(both.riskLevel == .high)
        #expect(both.riskSource == "DDL")
        #expect(both.riskReason.contains("rule \"DDL on prod is HIGH\" matched task #"))
        #expect(both.riskReason.contains("on prod/t0, statement 1 (ALTER_TABLE t)"))
        #expect(both.approvalStatus == .pending)
        #expect(try t.ws.issueDetail(both.id, by: t.dev).approvals.map(\.role) == ["owner", "dba"])

        let testOnly = try create(t, "ALTER TABLE t ADD COLUMN c TEXT;", envs: ["test"])
        #expect(testOnly.riskLevel == .moderate)
        #expect(try t.ws.issueDetail(testOnly.id, by: t.dev).approvals.map(\.role) == ["owner"])

        // DML has no rule: LOW, and no flow for DML × LOW means no approval.
        let dml = try create(t, "INSERT INTO t VALUES (1);", type: .data)
        #expect(dml.riskLevel == .low)
        #expect(dml.riskSource == "DML")
        #expect(dml.approvalStatus == .skipped)
        let timeline = try t.ws.issueDetail(both.id, by: t.dev).timeline.map(\.text)
        #expect(timeline.contains { $0.hasPrefix("risk HIGH (DDL): rule \"DDL on prod is HIGH\"") })
        #expect(timeline.contains("approval flow owner-dba: owner → dba"))
    }

    @Test func inactiveRulesAndOtherSourcesDoNotCount() throws {
        let t = try TestWorkspace()
        let rule = try t.ws.addRiskRule(by: t.admin, title: "all DDL", source: .ddl, level: .high, condition: "true", active: false)
        _ = try t.ws.addRiskRule(by: t.admin, title: "all DML", source: .dml, level: .high, condition: "true")
        #expect(try create(t, "CREATE TABLE a(x);").riskLevel == .low)
        _ = try t.ws.updateRiskRule(by: t.admin, id: rule.id, active: true)
        #expect(try create(t, "CREATE TABLE b(x);").riskLevel == .high)
    }

    @Test func amongSourcesTiedAtTheTopTheLongestFlowWins() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "DDL", source: .ddl, level: .high, condition: "true")
        _ = try t.ws.addRiskRule(by: t.admin, title: "DML", source: .dml, level: .high, condition: "true")
        _ = try t.ws.addFlow(by: t.admin, name: "short", roles: ["dba"])
        _ = try t.ws.addFlow(by: t.admin, name: "long", roles: ["owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "HIGH", flow: "short")
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DML", level: "HIGH", flow: "long")
        let issue = try create(t, "CREATE TABLE m(x); INSERT INTO m VALUES (1);")
        #expect(issue.riskSource == "DML")
        #expect(try t.ws.issueDetail(issue.id, by: t.dev).approvals.map(\.role) == ["owner", "dba"])
    }

    @Test func anUnmeasuredRowCountCountsAsMatchingAndSaysSo() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "big DML", source: .dml, level: .high, condition: "affected_rows > 1000")
        _ = try t.ws.addRiskRule(by: t.admin, title: "DML on test", source: .dml, level: .moderate, condition: #"environment_id == "nowhere" && affected_rows > 0"#)
        let issue = try create(t, "UPDATE t SET a = 1;", envs: ["test"], type: .data)
        #expect(issue.riskLevel == .high)
        #expect(issue.riskReason.contains("assumed, since affected_rows not measured yet"))
    }

    @Test func rowCountsMeasuredByThePlanChecksDecideTheRisk() throws {
        let t = try TestWorkspace()
        try GRDB.DatabaseQueue(path: t.path("test", 0)).write { db in
            try db.execute(sql: "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) SELECT x FROM c")
        }
        _ = try t.ws.addRiskRule(by: t.admin, title: "big DML", source: .dml, level: .high, condition: "affected_rows > 1000")
        _ = try t.ws.addRiskRule(by: t.admin, title: "big table DDL", source: .ddl, level: .moderate, condition: "table_rows >= 2000")
        _ = try t.ws.addFlow(by: t.admin, name: "dba", roles: ["dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DML", level: "HIGH", flow: "dba")

        // The dry run counts 2000 rows: HIGH, and the flow follows (not assumed any more).
        let wide = try create(t, "UPDATE big SET x = x;", envs: ["test"], type: .data)
        #expect(wide.riskLevel == .high)
        #expect(!wide.riskReason.contains("assumed"), "\(wide.riskReason)")
        #expect(wide.approvalStatus == .pending)
        // Ten rows: LOW, no approval needed.
        let narrow = try create(t, "UPDATE big SET x = x WHERE x <= 10;", envs: ["test"], type: .data)
        #expect(narrow.riskLevel == .low, "\(narrow.riskReason)")
        #expect(narrow.approvalStatus == .skipped)
        // table_rows: the existing 2000-row table is MODERATE; a table the sheet creates holds no rows.
        #expect(try create(t, "ALTER TABLE big ADD COLUMN y TEXT;", envs: ["test"]).riskLevel == .moderate)
        #expect(try create(t, "CREATE TABLE fresh (a INTEGER);", envs: ["test"]).riskLevel == .low)
        let timeline = try t.ws.issueDetail(narrow.id, by: t.dev).timeline.map(\.text)
        #expect(timeline.contains("risk reassessed with the row counts the plan checks measured"))
    }

    @Test func editingTheSQLRecomputesRiskAndResetsApprovals() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "drops", source: .ddl, level: .high, condition: #"sql_type == "DROP_TABLE""#)
        _ = try t.ws.addFlow(by: t.admin, name: "owner-dba", roles: ["owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "HIGH", flow: "owner-dba")
        let issue = try create(t, "DROP TABLE old;", envs: ["test"])
        #expect(issue.riskLevel == .high)
        _ = try t.ws.approve(by: t.owner, issue: issue.id)
        #expect(try t.ws.issueDetail(issue.id, by: t.dev).approvals.map(\.status) == ["APPROVED", "PENDING"])
        // Another drop: still HIGH, every step pending again.
        var edited = try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "spec-1", sql: "DROP TABLE older;")
        #expect(edited.approvalStatus == .pending)
        #expect(try t.ws.issueDetail(issue.id, by: t.dev).approvals.map(\.status) == ["PENDING", "PENDING"])
        // No drop any more: LOW, no approval needed.
        edited = try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "spec-1", sql: "CREATE TABLE fresh(a);")
        #expect(edited.riskLevel == .low)
        #expect(edited.approvalStatus == .skipped)
        #expect(try t.ws.issueDetail(issue.id, by: t.dev).approvals.isEmpty)
    }

    @Test func approvalsFollowTheFlowInOrderByRoleHolders() throws {
        let t = try TestWorkspace(testAutomatic: true)
        _ = try t.ws.addRiskRule(by: t.admin, title: "any DDL", source: .ddl, level: .moderate, condition: "true")
        _ = try t.ws.addCustomRole(by: t.admin, name: "tester", permissions: ["issues.get"])
        let tester = Principal(email: "tester@example.com", name: "Tester", role: "member")
        _ = try t.ws.addMember(by: t.admin, email: tester.email, role: "member", password: "member-password")
        _ = try t.ws.addProjectMember(by: t.admin, project: "P", email: tester.email, role: "tester")
        _ = try t.ws.addFlow(by: t.admin, name: "qa", roles: ["tester", "owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "MODERATE", flow: "qa")
        let issue = try create(t, "CREATE TABLE q(a);")

        // Automatic test does not start before approval; manual prod refuses.
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id).map(\.waitingCause) == ["waiting for approval", "waiting for approval"])
        #expect(denied { _ = try t.ws.runStage(by: t.dba, issue: issue.id, environment: "test") }?.kind == .precondition)

        var progress = try t.ws.approvalProgress(issue: issue.id, for: t.owner)
        #expect(progress.nextRole == "tester")
        #expect(!progress.canAct)
        #expect(try t.ws.approvalProgress(issue: issue.id, for: tester).canAct)

        let ownerFirst = denied { _ = try t.ws.approve(by: t.owner, issue: issue.id) }
        #expect(ownerFirst?.kind == .permissionDenied)
        #expect(ownerFirst?.message.contains("needs role tester") == true)
        #expect(denied { _ = try t.ws.approve(by: t.dev, issue: issue.id) }?.kind == .permissionDenied)
        _ = try t.ws.approve(by: tester, issue: issue.id, comment: "tested on staging")
        _ = try t.ws.approve(by: t.owner, issue: issue.id)
        progress = try t.ws.approvalProgress(issue: issue.id, for: t.dba)
        #expect(progress.nextRole == "dba" && progress.canAct)
        let done = try t.ws.approve(by: t.dba, issue: issue.id)
        #expect(done.approvalStatus == .approved)
        #expect(denied { _ = try t.ws.approve(by: t.dba, issue: issue.id) }?.message.contains("already approved") == true)

        try t.runUntilIdle()
        let tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .done)
        #expect(tasks[1].waitingCause?.contains("manual rollout of stage prod") == true)
        let events = try t.ws.issueDetail(issue.id, by: t.dev).timeline
        let approvals = events.filter { $0.kind == "APPROVE" }
        #expect(approvals.map(\.actor) == [tester.email, t.owner.email, t.dba.email])
        #expect(approvals.map(\.text) == ["approved as tester: tested on staging", "approved as owner", "approved as dba"])
    }

    @Test func theCreatorCannotApproveUnlessTheProjectAllowsIt() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "any DDL", source: .ddl, level: .low, condition: "true")
        _ = try t.ws.addFlow(by: t.admin, name: "owner", roles: ["owner"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "LOW", flow: "owner")
        let issue = try create(t, "CREATE TABLE s(a);", by: t.owner)
        let e = denied { _ = try t.ws.approve(by: t.owner, issue: issue.id) }
        #expect(e?.kind == .permissionDenied)
        #expect(e?.message.contains("created issue #\(issue.id) and cannot approve it") == true)
        _ = try t.ws.setProjectPolicy(by: t.owner, project: "P", allowSelfApproval: true)
        #expect(try t.ws.approve(by: t.owner, issue: issue.id).approvalStatus == .approved)
    }

    @Test func aRejectionStopsTheFlowUntilTheCreatorReRequests() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addRiskRule(by: t.admin, title: "any DDL", source: .ddl, level: .high, condition: "true")
        _ = try t.ws.addFlow(by: t.admin, name: "owner-dba", roles: ["owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "HIGH", flow: "owner-dba")
        let issue = try create(t, "CREATE TABLE r(a);")
        #expect(denied { _ = try t.ws.reject(by: t.owner, issue: issue.id, comment: "  ") }?.kind == .usage)
        _ = try t.ws.approve(by: t.owner, issue: issue.id)
        let rejected = try t.ws.reject(by: t.dba, issue: issue.id, comment: "add an index first")
        #expect(rejected.approvalStatus == .rejected)
        #expect(denied { _ = try t.ws.approve(by: t.dba, issue: issue.id) }?.message.contains("was rejected") == true)
        #expect(denied { _ = try t.ws.runStage(by: t.dba, issue: issue.id) }?.kind == .precondition)
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id)[0].waitingCause == "approval rejected: waiting for the creator to re-request review")
        // Only the creator re-requests; the flow restarts from its first step.
        #expect(denied { _ = try t.ws.rerequest(by: t.owner, issue: issue.id) }?.message.contains("only the creator") == true)
        let again = try t.ws.rerequest(by: t.dev, issue: issue.id)
        #expect(again.approvalStatus == .pending)
        #expect(try t.ws.issueDetail(issue.id, by: t.dev).approvals.map(\.status) == ["PENDING", "PENDING"])
        let kinds = try t.ws.issueDetail(issue.id, by: t.dev).timeline.map(\.kind)
        #expect(kinds.suffix(3) == ["APPROVE", "REJECT", "REREQUEST"])
    }

    @Test func riskRuleConditionsAreCheckedWhenSavedAndTitlesAreUnique() throws {
        let t = try TestWorkspace()
        let bad = denied { _ = try t.ws.addRiskRule(by: t.admin, title: "x", source: .ddl, level: .high, condition: "environment_id ==") }
        #expect(bad?.kind == .usage)
        #expect(bad?.message.contains("column 18: expected a value after '=='") == true)
        _ = try t.ws.addRiskRule(by: t.admin, title: "x", source: .ddl, level: .high, condition: "true")
        #expect(denied { _ = try t.ws.addRiskRule(by: t.admin, title: "x", source: .ddl, level: .low, condition: "true") }?.kind == .precondition)
        #expect(try t.ws.riskRules().count == 1)
        let fromTemplate = try t.ws.addRiskRule(by: t.admin, template: "ddl-protected-high")
        #expect(fromTemplate.condition == #"environment_id in ["prod"]"#)
        #expect(denied { _ = try t.ws.addRiskRule(by: t.admin, template: "nope") }?.kind == .notFound)
        for template in RiskTemplate.all {
            #expect(throws: Never.self) { try RiskCondition.compile(template.condition(protectedEnvironments: ["prod"])) }
        }
    }
}
