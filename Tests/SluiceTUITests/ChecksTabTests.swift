import Foundation
import SluiceSQL
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// The Checks tab over the engine's real plan checks: a sheet whose third statement fails in
/// the dry run, with a SQL review policy on prod that finds an UPDATE without WHERE.
@Suite(.serialized) struct ChecksTabTests {
    let fixture: DemoFixture
    let issue: SluiceEngine.Issue
    static let sql = "ALTER TABLE customers ADD COLUMN tier TEXT;\nUPDATE customers SET tier = 'gold';\nUPDATE nope SET x = 1;"

    init() throws {
        fixture = try DemoFixture()
        try fixture.workspace.setReviewConfig(by: DemoFixture.admin, environment: "prod", .default)
        issue = try fixture.workspace.createIssue(by: DemoFixture.dev, project: "DEMO", title: "Customer tiers", plan: .targets(
            sql: Self.sql, databases: [DatabaseRef(instance: "sqlite-test", name: "app"), DatabaseRef(instance: "sqlite-prod", name: "app")],
            labels: [:], type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
    }

    func onChecks(_ member: Principal, size: Size = Size(width: 120, height: 36)) -> Store {
        let store = fixture.store(as: member, size: size)
        store.typeText(":issue \(issue.id)")
        store.press(.enter)
        store.typeText(":tab checks")
        store.press(.enter, .char("0"))
        return store
    }

    @Test func theViewModelGroupsChecksPerSpecAndDatabaseWithPositionsAndFixes() throws {
        let s = onChecks(DemoFixture.dba).state
        let vm = ChecksViewModel(detail: try #require(s.detail), checks: s.planChecks)
        #expect(vm.note == nil)
        #expect(vm.targets.map(\.environment) == ["test", "prod"])
        #expect(vm.targets.map(\.database) == ["sqlite-test/app", "sqlite-prod/app"])
        #expect(vm.counts[.error] == 3 && vm.counts[.success] == 5, "\(vm.counts)")
        let test = vm.targets[0], prod = vm.targets[1]
        #expect(test.checks.map(\.kind) == [.connect, .dryRun, .statementSummary, .review])
        #expect(test.checks.map(\.status) == [.success, .error, .success, .success])
        #expect(test.status == .error)
        #expect(test.dryRun == .init(title: "dry run failed at line 3, column 1",
                                     text: "statement 3 fails: no such table: nope; everything was rolled back"))
        #expect(test.summary.map(\.title) == ["statements", "tables", "affected rows"])
        #expect(test.summary[0].text == "3 statement(s): 1 ALTER_TABLE, 2 UPDATE", "\(test.summary)")
        #expect(test.summary[2].text == "unknown", "the dry run stopped, so the rows are not known")
        #expect(test.blockedBy?.hasPrefix("failed checks: dry run ERROR at line 3, column 1") == true, "\(test.blockedBy ?? "")")
        #expect(test.findings.isEmpty, "test has no review policy")
        let where_ = try #require(prod.findings.first { $0.rule == "statement.where.require.update-delete" })
        #expect(where_.status == .error && where_.kind == .review && where_.position == "line 2, column 1")
        #expect(where_.message == "UPDATE without a WHERE clause changes every row of customers")
        #expect(where_.fix == "Add a WHERE clause that selects only the rows to change.")
        #expect(prod.findings.contains { $0.rule == "statement.disallow-mix-in-ddl" && $0.status == .warning })
        #expect(ChecksViewModel(detail: try #require(s.detail), checks: nil).note == "loading…")
    }

    @Test func cReRunsTheChecksAndAViewerIsToldWhyNot() throws {
        let dba = onChecks(DemoFixture.dba)
        let before = try fixture.workspace.issueDetail(issue.id, by: DemoFixture.dba).timeline.filter { $0.kind == "PLAN_CHECK" }.count
        var s = dba.state
        #expect(Reducer().reduce(&s, .key(.char("C"))) == [.perform(.runChecks(issue: issue.id))])
        dba.press(.char("C"))
        #expect(dba.settle(until: { $0.message?.text.hasPrefix("plan checks of #\(issue.id):") == true }))
        #expect(dba.state.message?.text == "plan checks of #\(issue.id): 3 ERROR, 0 WARNING, 5 SUCCESS", "\(dba.state.message?.text ?? "")")
        #expect(try fixture.workspace.issueDetail(issue.id, by: DemoFixture.dba).timeline.filter { $0.kind == "PLAN_CHECK" }.count == before + 1)
        #expect(dba.settle(until: { $0.planChecks?.isEmpty == false }))

        let viewer = Principal(email: "viewer@example.com", name: "Viewer", role: "member")
        _ = try fixture.workspace.addMember(by: DemoFixture.admin, email: viewer.email, role: "member", password: "viewer-password")
        _ = try fixture.workspace.addProjectMember(by: DemoFixture.admin, project: "DEMO", email: viewer.email, role: "viewer")
        var v = onChecks(viewer).state
        #expect(Reducer().reduce(&v, .key(.char("C"))).isEmpty)
        #expect(v.message?.text == "re-check: permission denied: viewer@example.com cannot run plan checks in project DEMO: missing issues.update")
        #expect(v.frame.text.contains("re-check      refused: permission denied: viewer@example.com"), "\(v.frame.text)")
    }

    @Test func framesOfTheChecksTab() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        var s = onChecks(DemoFixture.dba).state
        SnapshotTests.fixTimes(&s)
        let frame = Renderer.render(s, size: s.size)
        Snapshot.check(frame, named: "checks-120x36")
        #expect(frame.text.contains("dry run       ✗ dry run failed at line 3, column 1: statement 3 fails: no such"))
        #expect(frame.text.contains("fix: Add a WHERE clause that selects only the rows to change."))
        // The demo's own issue: every check passed.
        let demo = fixture.store(as: DemoFixture.dba, size: Size(width: 80, height: 24))
        demo.typeText(":issue 2")
        demo.press(.enter)
        demo.typeText(":tab checks")
        demo.press(.enter)
        var d = demo.state
        SnapshotTests.fixTimes(&d)
        Snapshot.check(Renderer.render(d, size: d.size), named: "checks-80x24")
    }
}
