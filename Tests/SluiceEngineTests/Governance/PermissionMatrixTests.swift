import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Every mutating command × every built-in role, against `PermissionTable` (which the README's
/// table is generated from): allowed means the call succeeds, denied means a permission error
/// naming exactly the documented permission.
@Suite struct PermissionMatrixTests {
    /// A workspace with one member per built-in role, and helpers that prepare, as the admin,
    /// whatever a command needs so that it succeeds when allowed.
    final class Matrix {
        let t: TestWorkspace
        let plain = Principal(email: "plain@example.com", name: "Plain", role: "member")
        var counter = 0

        init() throws {
            t = try TestWorkspace()
            _ = try t.ws.addMember(by: t.admin, email: plain.email, role: "member", password: "member-password")
            _ = try t.ws.addMember(by: t.admin, email: "extra@example.com", role: "member", password: "member-password")
            // DATA (DML) changes need the owner's approval, so `rerequest` has something to act on;
            // MIGRATE changes need none.
            _ = try t.ws.addFlow(by: t.admin, name: "owner-only", roles: ["owner"])
            _ = try t.ws.setApprovalRule(by: t.admin, source: "DML", level: "LOW", flow: "owner-only")
        }

        func principal(_ role: String) -> Principal {
            switch role {
            case "admin": t.admin
            case "dba": t.dba
            case "member": plain
            case "owner": t.owner
            case "developer": t.dev
            case "releaser": t.releaser
            case "viewer": t.viewer
            default: plain
            }
        }

        func unique(_ prefix: String) -> String { counter += 1; return "\(prefix)\(counter)" }

        func freshIssue(type: SpecType = .migrate) throws -> SluiceEngine.Issue {
            try t.ws.createIssue(by: t.admin, project: "P", title: "fixture", plan: .targets(
                sql: type == .data ? "INSERT INTO x VALUES (1);" : "CREATE TABLE \(unique("m"))(a);",
                databases: [t.ref("test", 0)], labels: [:], type: type, schemaVersion: nil, earliestAllowedTime: nil))
        }

        /// Runs the command as `actor`.
        func run(_ command: String, as actor: Principal) throws {
            let ws = t.ws, admin = t.admin
            switch command {
            case "env add": _ = try ws.addEnvironment(by: actor, name: unique("env"), order: 9, protected: false, autoRollout: false, rolloutRoles: nil)
            case "role add": _ = try ws.addCustomRole(by: actor, name: unique("role"), permissions: ["issues.get"])
            case "risk add":
                _ = try ws.addRiskRule(by: actor, title: unique("rule"), source: .createDatabase, level: .low, condition: "false")
            case "risk set":
                let r = try ws.addRiskRule(by: admin, title: unique("rule"), source: .createDatabase, level: .low, condition: "false")
                _ = try ws.updateRiskRule(by: actor, id: r.id, active: false)
            case "risk remove":
                let r = try ws.addRiskRule(by: admin, title: unique("rule"), source: .createDatabase, level: .low, condition: "false")
                _ = try ws.removeRiskRule(by: actor, id: r.id)
            case "flow add": _ = try ws.addFlow(by: actor, name: unique("flow"), roles: ["dba"])
            case "approval-rule set": _ = try ws.setApprovalRule(by: actor, source: "CREATE_DATABASE", level: "HIGH", flow: nil)
            case "settings apply": _ = try ws.applySettings(by: actor, toml: "version = 1\n")
            case "member add": _ = try ws.addMember(by: actor, email: "\(unique("m"))@example.com", role: "member", password: "member-password")
            case "instance add":
                let dir = t.dir + "/" + unique("inst")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                _ = try ws.addInstance(by: actor, name: unique("inst"), engine: .sqlite, location: dir, environment: "test")
            case "instance sync": _ = try ws.syncInstance(by: actor, name: "test")
            case "db label": _ = try ws.setLabels(by: actor, t.ref("test", 0), ["team": "core"])
            case "db baseline": _ = try ws.baseline(t.ref("test", 0), version: unique("b"), by: actor)
            case "project create": _ = try ws.createProject(by: actor, key: unique("K"), title: "k")
            case "project member add": _ = try ws.addProjectMember(by: actor, project: "P", email: "extra@example.com", role: "viewer")
            case "project set": _ = try ws.setProjectPolicy(by: actor, project: "P", autoResolve: true)
            case "issue create":
                _ = try ws.createIssue(by: actor, project: "P", title: "t", plan: .targets(
                    sql: "CREATE TABLE \(unique("c"))(a);", databases: [t.ref("test", 0)], labels: [:], type: .migrate,
                    schemaVersion: nil, earliestAllowedTime: nil))
            case "issue comment": _ = try ws.comment(by: actor, issue: try freshIssue().id, text: "looks fine")
            case "issue edit-sql": _ = try ws.editSQL(by: actor, issue: try freshIssue().id, spec: "spec-1", sql: "CREATE TABLE \(unique("e"))(a);")
            case "issue resolve": _ = try ws.setIssueStatus(by: actor, issue: try freshIssue().id, to: .done)
            case "issue cancel": _ = try ws.setIssueStatus(by: actor, issue: try freshIssue().id, to: .canceled)
            case "issue rerequest":
                let issue = try freshIssue(type: .data)
                _ = try ws.reject(by: t.owner, issue: issue.id, comment: "not yet")
                // As if `actor` had created it: only the creator may re-request.
                try ws.store.write { db in try db.execute(sql: "UPDATE issue SET creator = ? WHERE id = ?", arguments: [actor.email, issue.id]) }
                _ = try ws.rerequest(by: actor, issue: issue.id)
            case "rollout run": _ = try ws.runStage(by: actor, issue: try freshIssue().id, environment: "test")
            case "task retry":
                let issue = try freshIssue()
                let task = try #require(ws.runStage(by: admin, issue: issue.id).first)
                _ = try ws.cancelTask(by: admin, task: task.id)
                _ = try ws.retryTask(by: actor, task: task.id)
            case "task skip":
                let task = try #require(t.tasks(freshIssue().id).first)
                _ = try ws.skipTask(by: actor, task: task.id, reason: "done by hand")
            case "task cancel":
                let task = try #require(ws.runStage(by: admin, issue: freshIssue().id).first)
                _ = try ws.cancelTask(by: actor, task: task.id)
            default:
                Testing.Issue.record("no driver for command \(command): add one to PermissionMatrixTests")
            }
        }
    }

    @Test func everyMutatingCommandForEveryBuiltinRoleMatchesTheTable() throws {
        let m = try Matrix()
        var surprises: [String] = []
        for entry in PermissionTable.mutatingCommands {
            for role in PermissionTable.columns {
                let expected = PermissionTable.allows(role, entry)
                do {
                    try m.run(entry.command, as: m.principal(role))
                    if !expected { surprises.append("\(entry.command) as \(role): allowed, table says denied") }
                } catch let e as SluiceError where e.kind == .permissionDenied {
                    if expected {
                        surprises.append("\(entry.command) as \(role): denied (\(e.message)), table says allowed")
                    } else if e.permission != entry.permission.rawValue || !e.message.contains(entry.permission.rawValue) {
                        surprises.append("\(entry.command) as \(role): denied for \(e.permission ?? "nil"), table says \(entry.permission.rawValue)")
                    }
                } catch {
                    surprises.append("\(entry.command) as \(role): failed with \(error)")
                }
            }
        }
        #expect(surprises.isEmpty, "\(surprises.joined(separator: "\n"))")
    }

    @Test func theTableCoversEveryPermissionAndEveryColumnIsARealRole() {
        let used = Set(PermissionTable.mutatingCommands.map(\.permission))
        #expect(used == Set(Permission.allCases))
        for role in PermissionTable.columns { #expect(BuiltinRole.workspace[role] != nil || BuiltinRole.project[role] != nil) }
    }

    /// The README's table is generated from `PermissionTable`; re-record with SLUICE_RECORD=1.
    @Test func readmePermissionTableIsCurrent() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = "<!-- permission-table:begin (generated from PermissionTable; SLUICE_RECORD=1 swift test re-records) -->\n"
        let end = "<!-- permission-table:end -->"
        let start = try #require(text.range(of: begin), "README.md lacks the permission-table markers")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let current = String(text[start.upperBound..<stop.lowerBound])
        let generated = PermissionTable.markdown()
        if current != generated, ProcessInfo.processInfo.environment["SLUICE_RECORD"] == "1" {
            try (String(text[..<start.upperBound]) + generated + String(text[stop.lowerBound...])).write(to: readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == generated, "README.md's permission table is stale: run SLUICE_RECORD=1 swift test --filter readmePermissionTableIsCurrent")
    }
}
