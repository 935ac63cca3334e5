import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// `availability(issue:by:)` and the real actions run the same checks: for every issue of a
/// governed demo workspace, every member and every action, the preflight says "allowed" exactly
/// when the action succeeds, and otherwise gives the very message the action fails with.
@Suite struct ActionAvailabilityTests {
    /// The demo (`sluice demo`) plus the governance scenario and issues in each state the actions care about.
    final class GovernedDemo {
        let dir: String
        let ws: Workspace
        let admin = Principal(email: "admin@example.com", name: "Ada Admin", role: "admin")
        let dba = Principal(email: "dba@example.com", name: "Dba", role: "dba")
        let owner = Principal(email: "owner@example.com", name: "Owner", role: "member")
        let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
        /// A member with no role in the demo project.
        let outsider = Principal(email: "outsider@example.com", name: "Outsider", role: "member")
        var members: [Principal] { [admin, dba, owner, dev, outsider] }
        private var attempts = 0

        init() throws {
            dir = NSTemporaryDirectory() + "sluice-availability-" + UUID().uuidString
            ws = try DemoWorkspace.build(home: dir + "/base", reset: false)
            _ = try ws.addMember(by: admin, email: outsider.email, role: "member", password: "outsider-password")
            _ = try ws.addRiskRule(by: admin, title: "DDL on prod is HIGH", source: .ddl, level: .high, condition: #"environment_id == "prod""#)
            _ = try ws.addFlow(by: admin, name: "owner-dba", roles: ["owner", "dba"])
            _ = try ws.setApprovalRule(by: admin, source: "DDL", level: "HIGH", flow: "owner-dba")
            let test = DatabaseRef(instance: "sqlite-test", name: "app"), prod = DatabaseRef(instance: "sqlite-prod", name: "app")
            func create(_ title: String, _ sql: String, _ targets: [DatabaseRef], by: Principal? = nil) throws -> Int64 {
                try ws.createIssue(by: by ?? dev, project: "DEMO", title: title, plan: .targets(
                    sql: sql, databases: targets, labels: [:], type: .migrate, schemaVersion: nil, earliestAllowedTime: nil)).id
            }
            _ = try create("waiting for the owner", "ALTER TABLE customers ADD COLUMN a TEXT;", [test, prod])
            let dbaNext = try create("waiting for the DBA", "ALTER TABLE customers ADD COLUMN b TEXT;", [test, prod])
            _ = try ws.approve(by: owner, issue: dbaNext)
            let rejected = try create("rejected", "ALTER TABLE customers ADD COLUMN c TEXT;", [test, prod])
            _ = try ws.reject(by: owner, issue: rejected, comment: "not this week")
            _ = try create("the owner's own", "ALTER TABLE customers ADD COLUMN d TEXT;", [test, prod], by: owner)
            let canceled = try create("rejected then canceled", "ALTER TABLE customers ADD COLUMN e TEXT;", [test, prod])
            _ = try ws.reject(by: owner, issue: canceled, comment: "wrong table")
            _ = try ws.setIssueStatus(by: dev, issue: canceled, to: .canceled)
            // DDL on test only is LOW: no approval; its dry run fails, so the stage is started by hand, and fails.
            let failing = try create("fails on test", "ALTER TABLE nope ADD COLUMN x TEXT;", [test])
            _ = try ws.runStage(by: dba, issue: failing, environment: "test")
            // DML is LOW: test runs by itself; prod is queued and left PENDING (no runner afterwards).
            let queued = try create("queued on prod", "UPDATE customers SET name = name;", [test, prod])
            try RolloutScheduler(workspace: ws, options: .init(workers: 2)).runUntilIdle()
            _ = try ws.runStage(by: dba, issue: queued, environment: "prod")
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        /// Runs `action` on a fresh copy of the workspace; returns the error message it failed with, or nil.
        func attempt(_ action: (Workspace) throws -> Void) throws -> String? {
            attempts += 1
            let home = "\(dir)/attempt-\(attempts)"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: home) }
            let copy = try DatabaseQueue(path: Workspace.metastorePath(home: home))
            try ws.store.pool.backup(to: copy)
            try copy.close()
            let fresh = try Workspace(home: home)
            do {
                try action(fresh)
                return nil
            } catch let e as SluiceError where e.kind != .failure {
                return e.message
            }
        }
    }

    @Test func availabilitySaysAllowedExactlyWhenTheActionSucceeds() throws {
        let demo = try GovernedDemo()
        let ws = demo.ws
        var mismatches: [String] = []
        var outcomes: [String: (allowed: Int, refused: Int)] = [:]
        func compare(_ name: String, _ member: Principal, _ issue: Int64, _ predicted: String??, _ action: (Workspace) throws -> Void) throws {
            let actual = try demo.attempt(action)
            let said = predicted ?? "availability does not list it"
            if said != actual {
                mismatches.append("#\(issue) \(name) by \(member.email): availability \(said ?? "allowed"), action \(actual ?? "succeeded")")
            }
            outcomes[name, default: (0, 0)].allowed += actual == nil ? 1 : 0
            outcomes[name, default: (0, 0)].refused += actual == nil ? 0 : 1
        }

        let issues = try ws.issues(by: demo.admin)
        #expect(issues.count == 9)
        for issue in issues {
            let detail = try ws.issueDetail(issue.id, by: demo.admin)
            for m in demo.members {
                let a = try ws.availability(issue: issue.id, by: m)
                let id = issue.id
                try compare("approve", m, id, a.approve) { _ = try $0.approve(by: m, issue: id, comment: "fine") }
                try compare("reject", m, id, a.reject) { _ = try $0.reject(by: m, issue: id, comment: "not yet") }
                try compare("rerequest", m, id, a.rerequest) { _ = try $0.rerequest(by: m, issue: id) }
                try compare("runStage", m, id, a.runStage) { _ = try $0.runStage(by: m, issue: id) }
                try compare("resolve", m, id, a.resolve) { _ = try $0.setIssueStatus(by: m, issue: id, to: .done) }
                try compare("comment", m, id, a.comment) { _ = try $0.comment(by: m, issue: id, text: "a note") }
                try compare("runChecks", m, id, a.runChecks) { _ = try $0.runPlanChecks(by: m, issue: id) }
                for spec in detail.specs {
                    try compare("editSQL", m, id, a.editSQL[spec.id]) {
                        _ = try $0.editSQL(by: m, issue: id, spec: spec.id, sql: "ALTER TABLE customers ADD COLUMN z TEXT;")
                    }
                }
                for task in detail.stages.flatMap(\.tasks) {
                    let t = a.tasks[task.id]
                    try compare("retry", m, id, t.map { $0.retry }) { _ = try $0.retryTask(by: m, task: task.id) }
                    try compare("skip", m, id, t.map { $0.skip }) { _ = try $0.skipTask(by: m, task: task.id, reason: "not needed") }
                    try compare("cancel", m, id, t.map { $0.cancel }) { _ = try $0.cancelTask(by: m, task: task.id) }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        // Every action was seen both allowed and refused, so the comparison means something.
        for name in ["approve", "reject", "rerequest", "runStage", "resolve", "comment", "runChecks", "editSQL", "retry", "skip", "cancel"] {
            let o = outcomes[name] ?? (0, 0)
            #expect(o.allowed > 0 && o.refused > 0, "\(name): \(o.allowed) allowed, \(o.refused) refused")
        }
    }

    @Test func theRefusalIsTheEnginesOwnMessage() throws {
        let demo = try GovernedDemo()
        let waiting = try #require(try demo.ws.issues(by: demo.admin).first { $0.title == "waiting for the owner" })
        let own = try #require(try demo.ws.issues(by: demo.admin).first { $0.title == "the owner's own" })
        #expect(try demo.ws.availability(issue: waiting.id, by: demo.dev).approve
            == "permission denied: dev@example.com is not an approver of this step (needs role owner)")
        #expect(try demo.ws.availability(issue: waiting.id, by: demo.owner).approve == nil)
        #expect(try demo.ws.availability(issue: own.id, by: demo.owner).approve?.contains("does not allow self-approval") == true)
        let canceled = try #require(try demo.ws.issues(by: demo.admin).first { $0.title == "rejected then canceled" })
        #expect(try demo.ws.availability(issue: canceled.id, by: demo.dev).rerequest == "issue #\(canceled.id) is CANCELED")
    }
}
