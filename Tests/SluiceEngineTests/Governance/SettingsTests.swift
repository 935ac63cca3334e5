import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// `settings export` / `settings apply`: round trips, idempotence, whole-file validation with lines.
@Suite struct SettingsTests {
    func configure(_ t: TestWorkspace) throws {
        _ = try t.ws.addCustomRole(by: t.admin, name: "tester", permissions: ["issues.get", "plans.update"])
        _ = try t.ws.addRiskRule(by: t.admin, title: "DDL on prod is HIGH", source: .ddl, level: .high, condition: #"environment_id == "prod""#)
        _ = try t.ws.addRiskRule(by: t.admin, title: "Big \"DML\" \\ it's big", source: .dml, level: .moderate,
                                 condition: #"affected_rows > 1000 && table_name.matches('^t\\d+$')"#, active: false)
        _ = try t.ws.addFlow(by: t.admin, name: "qa", roles: ["tester", "owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "HIGH", flow: "qa")
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DML", level: "MODERATE", flow: "qa")
    }

    func applyError(_ t: TestWorkspace, _ text: String) -> SluiceError? {
        do { _ = try t.ws.applySettings(by: t.admin, toml: text, file: "ws.toml"); return nil } catch let e as SluiceError { return e } catch { return nil }
    }

    @Test func exportApplyExportIsByteIdenticalAndApplyingTwiceChangesNothing() throws {
        let t = try TestWorkspace()
        try configure(t)
        let first = try t.ws.exportSettings(by: t.dev)
        #expect(first.contains("[[risk_rule]]"))
        #expect(first.contains(#"condition = 'environment_id == "prod"'"#))
        #expect(first.contains("role = []") == false)
        #expect(try t.ws.applySettings(by: t.admin, toml: first).changes.isEmpty)
        #expect(try t.ws.exportSettings(by: t.dev) == first)

        // Into a workspace with the same environments but nothing else: everything is added once.
        let other = try TestWorkspace()
        let report = try other.ws.applySettings(by: other.admin, toml: first)
        #expect(report.changes.contains("role tester added"))
        #expect(report.changes.contains("risk rule \"DDL on prod is HIGH\" added"))
        #expect(report.changes.contains("approval rule DDL × HIGH → qa"))
        #expect(try other.ws.exportSettings(by: other.admin) == first)
        #expect(try other.ws.applySettings(by: other.admin, toml: first).changes.isEmpty)
        let rules = try other.ws.riskRules()
        #expect(rules.map(\.title) == ["DDL on prod is HIGH", "Big \"DML\" \\ it's big"])
        #expect(rules[1].active == false)
        #expect(rules[1].condition == #"affected_rows > 1000 && table_name.matches('^t\\d+$')"#)
    }

    @Test func aFileReplacesTheSectionsItHasAndLeavesTheOthers() throws {
        let t = try TestWorkspace()
        try configure(t)
        var text = try t.ws.exportSettings(by: t.admin)
        text = text.replacingOccurrences(of: "name = \"prod\"\norder = 1\nprotected = true\nrollout = \"manual\"\nrollout_roles = [\"admin\", \"dba\", \"owner\", \"releaser\"]",
                                         with: "name = \"prod\"\norder = 1\nprotected = true\nrollout = \"manual\"\nrollout_roles = [\"dba\"]")
        let report = try t.ws.applySettings(by: t.admin, toml: text)
        #expect(report.changes == ["environment prod changed"])
        #expect(try t.ws.environments().first { $0.name == "prod" }?.rolloutRoles == ["dba"])

        // Only risk rules: flows, roles and environments stay as they are.
        let partial = """
            [[risk_rule]]
            title = "Only this"
            source = "DDL"
            level = "LOW"
            condition = "true"
            """
        let r = try t.ws.applySettings(by: t.admin, toml: partial)
        #expect(Set(r.changes) == ["risk rule \"DDL on prod is HIGH\" removed", #"risk rule "Big "DML" \ it's big" removed"#, "risk rule \"Only this\" added"])
        #expect(try t.ws.riskRules().map(\.title) == ["Only this"])
        #expect(try t.ws.flows().map(\.name) == ["qa"])
        #expect(try t.ws.roles().contains { $0.name == "tester" })
        // An empty list empties a section.
        _ = try t.ws.applySettings(by: t.admin, toml: "risk_rule = []\napproval_rule = []\n")
        #expect(try t.ws.riskRules().isEmpty)
        #expect(try t.ws.approvalRules().isEmpty)
    }

    @Test func everyProblemIsReportedWithItsLineAndNothingIsApplied() throws {
        let t = try TestWorkspace()
        try configure(t)
        let before = try t.ws.exportSettings(by: t.admin)
        let text = """
            version = 1
            colour = "blue"

            [[environment]]
            name = "test"
            order = 0
            rollout = "sometimes"

            [[role]]
            name = "owner"
            permissions = ["issues.fly"]

            [[risk_rule]]
            title = "bad"
            source = "DDL"
            level = "EXTREME"
            condition = 'environment_id == "prod'

            [[risk_rule]]
            title = "bad"
            source = "DML"
            level = "LOW"
            condition = "bogus > 1"

            [[approval_flow]]
            name = "f"
            roles = ["nobody"]

            [[approval_rule]]
            source = "DDL"
            level = "HIGH"
            flow = "missing"
            """
        let e = try #require(applyError(t, text))
        #expect(e.kind == .usage)
        let lines = e.message.split(separator: "\n").map(String.init)
        #expect(lines.first == "ws.toml is not valid (8 problems); nothing was applied:")
        #expect(lines.contains("ws.toml:2: colour: unknown setting 'colour'; known: approval_flow, approval_rule, environment, risk_rule, role, sql_review, version"))
        #expect(lines.contains("ws.toml:7: environment[1].rollout: must be \"automatic\" or \"manual\", not \"sometimes\""))
        #expect(lines.contains("ws.toml:10: role[1].name: owner is a built-in role; custom roles need another name"))
        #expect(lines.contains { $0.hasPrefix("ws.toml:11: role[1].permissions: unknown permission 'issues.fly'") })
        #expect(lines.contains("ws.toml:16: risk_rule[1].level: 'EXTREME' is not a risk level: Use LOW, MODERATE or HIGH."))
        #expect(lines.contains("ws.toml:17: risk_rule[1].condition: column 19: unterminated string: the \" opened here is never closed"))
        #expect(lines.contains { $0.hasPrefix("ws.toml:23: risk_rule[2].condition: column 1: unknown variable 'bogus'") })
        #expect(lines.contains("ws.toml:20: risk_rule[2].title: \"bad\" appears twice (first in risk_rule[1])"))
        #expect(try t.ws.exportSettings(by: t.admin) == before)

        // Semantic problems against the workspace come after the file itself is clean.
        let refs = "[[approval_flow]]\nname = \"f\"\nroles = [\"nobody\"]\n\n[[approval_rule]]\nsource = \"DDL\"\nlevel = \"HIGH\"\nflow = \"missing\"\n"
        let r = try #require(applyError(t, refs))
        #expect(r.message.contains("ws.toml:3: approval_flow[1].roles: unknown role 'nobody'"))
        #expect(r.message.contains("ws.toml:8: approval_rule[1].flow: no approval flow named 'missing' (flows: f)"))
        #expect(try t.ws.exportSettings(by: t.admin) == before)
    }

    @Test func syntaxErrorsCarryTomlKitsLine() throws {
        let t = try TestWorkspace()
        let e = try #require(applyError(t, "version = 1\n\n[[risk_rule]\ntitle = 1\n"))
        #expect(e.message.contains("ws.toml:3: not valid TOML"))
    }

    @Test func whatIsStillInUseCannotBeRemoved() throws {
        let t = try TestWorkspace()
        try configure(t)
        _ = try t.ws.addProjectMember(by: t.admin, project: "P", email: t.viewer.email, role: "tester")
        let e = try #require(applyError(t, "role = []\nenvironment = []\napproval_flow = []\napproval_rule = []\n"))
        #expect(e.message.contains("ws.toml:1: role: role tester is left out, but viewer@example.com in P hold it"))
        #expect(e.message.contains("ws.toml:2: environment: environment test is left out, but instance test"))
        #expect(try t.ws.flows().map(\.name) == ["qa"])
        // A flow still named by an approval rule that the file keeps cannot go either.
        let f = try #require(applyError(t, "approval_flow = []\n"))
        #expect(f.message.contains("ws.toml:1: approval_flow: approval rule DDL × HIGH uses flow qa, and this file removes it"))
    }

    @Test func applyingNeedsSettingsManage() throws {
        let t = try TestWorkspace()
        do {
            _ = try t.ws.applySettings(by: t.owner, toml: "version = 1\n")
            Issue.record("an owner applied settings")
        } catch let e as SluiceError {
            #expect(e.kind == .permissionDenied)
            #expect(e.permission == "settings.manage")
        }
    }
}
