import Foundation
import Testing

/// Bytebase's "risk-adjusted approval flow" tutorial, through the real binary on the demo workspace.
@Suite struct RiskAdjustedApprovalTests {
    let dir = NSTemporaryDirectory() + "sluice-risk-" + UUID().uuidString
    let admin = "admin@example.com", dba = "dba@example.com", owner = "owner@example.com", dev = "dev@example.com"

    func json(_ r: SluiceBinary.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)\n\(r.stderr)")
    }

    /// (status, waitingCause) of each task, stage by stage.
    func tasks(_ issue: [String: Any]) -> [(String, String)] {
        let stages = (issue["rollout"] as? [String: Any])?["stages"] as? [[String: Any]] ?? []
        return stages.flatMap { ($0["tasks"] as? [[String: Any]]) ?? [] }.map {
            ($0["status"] as? String ?? "?", $0["waitingCause"] as? String ?? "")
        }
    }

    @Test func ddlOnProdNeedsTheOwnerThenTheDBAThenATesterFirst() throws {
        let sluice = SluiceBinary(home: dir + "/home")
        #expect(try sluice.run(["demo"]).status == 0)
        func run(_ args: [String], as user: String) throws -> SluiceBinary.Result {
            try sluice.run(args, user: user, password: "sluice-demo-pw")
        }
        func alter(_ column: String) throws -> [String: Any] {
            let r = try run(["issue", "create", "--project", "DEMO", "--title", "Add \(column)", "--sql",
                             "ALTER TABLE customers ADD COLUMN \(column) TEXT;", "--target", "sqlite-test/app",
                             "--target", "sqlite-prod/app", "--json"], as: dev)
            #expect(r.status == 0, "\(r.stderr)")
            return try json(r)
        }
        func show(_ id: Int) throws -> [String: Any] { try json(try run(["issue", "show", "\(id)", "--json"], as: dev)) }
        func runEngine() throws { #expect(try sluice.run(["run", "--until-idle", "--quiet"]).status == 0) }

        // 1. No rules: DDL rolls out to test by itself, prod waits for a manual rollout.
        let plain = try alter("nickname")
        #expect(plain["riskLevel"] as? String == "LOW")
        #expect(plain["approvalStatus"] as? String == "SKIPPED")
        try runEngine()
        var states = tasks(try show(plain["id"] as? Int ?? 0))
        #expect(states[0].0 == "DONE")
        #expect(states[1].0 == "NOT_STARTED" && states[1].1.contains("manual rollout of stage prod"))

        // 2. "DDL on prod is HIGH" → project owner → DBA.
        let rule = try run(["risk", "add", "--source", "DDL", "--level", "HIGH", "--title", "DDL on prod is HIGH",
                            "--condition", #"environment_id == "prod""#], as: admin)
        #expect(rule.status == 0, "\(rule.stderr)")
        #expect(try run(["flow", "add", "owner-dba", "--roles", "owner,dba"], as: admin).status == 0)
        #expect(try run(["approval-rule", "set", "--source", "DDL", "--level", "HIGH", "--flow", "owner-dba"], as: admin).status == 0)
        // A developer cannot change governance.
        let sneaky = try run(["approval-rule", "set", "--source", "DDL", "--level", "HIGH", "--none"], as: dev)
        #expect(sneaky.status == 3)
        #expect(sneaky.stderr.contains("settings.manage"))

        // 3. ALTER TABLE on test and prod: the highest risk (prod) decides for the whole issue.
        let risky = try alter("phone2")
        let id = risky["id"] as? Int ?? 0
        #expect(risky["riskLevel"] as? String == "HIGH")
        #expect(risky["approvalStatus"] as? String == "PENDING")
        #expect((risky["approvals"] as? [[String: Any]])?.compactMap { $0["role"] as? String } == ["owner", "dba"])
        try runEngine()
        states = tasks(try show(id))
        #expect(states.map(\.0) == ["NOT_STARTED", "NOT_STARTED"])
        #expect(states.allSatisfy { $0.1 == "waiting for approval" })
        let early = try run(["rollout", "run", "\(id)", "--stage", "test"], as: dba)
        #expect(early.status == 5)
        #expect(early.stderr.contains("not approved"))

        // 4. The developer cannot approve; the DBA cannot go first; the owner then the DBA can.
        let byDev = try run(["issue", "approve", "\(id)"], as: dev)
        #expect(byDev.status == 3)
        #expect(byDev.stderr.contains("needs role owner"))
        let dbaFirst = try run(["issue", "approve", "\(id)"], as: dba)
        #expect(dbaFirst.status == 3)
        #expect(try run(["issue", "approve", "\(id)", "--comment", "fine by me"], as: owner).status == 0)
        let approved = try json(try run(["issue", "approve", "\(id)", "--json"], as: dba))
        #expect(approved["approvalStatus"] as? String == "APPROVED")

        // 5. Test runs by itself; prod waits for its manual rollout.
        try runEngine()
        var detail = try show(id)
        states = tasks(detail)
        #expect(states[0].0 == "DONE")
        #expect(states[1].0 == "NOT_STARTED" && states[1].1.contains("manual rollout of stage prod"))
        #expect(try run(["rollout", "run", "\(id)", "--stage", "prod"], as: dba).status == 0)
        try runEngine()
        detail = try show(id)
        #expect(tasks(detail).map(\.0) == ["DONE", "DONE"])
        let timeline = (detail["timeline"] as? [[String: Any]] ?? []).map { ($0["actor"] as? String ?? "", $0["text"] as? String ?? "") }
        #expect(timeline.contains { $0.0 == owner && $0.1 == "approved as owner: fine by me" })
        #expect(timeline.contains { $0.0 == dba && $0.1 == "approved as dba" })
        #expect(timeline.contains { $0.1.hasPrefix("risk HIGH (DDL): rule \"DDL on prod is HIGH\"") })
        let human = try run(["issue", "show", "\(id)"], as: dev)
        #expect(human.stdout.contains("risk HIGH (DDL): rule \"DDL on prod is HIGH\" matched task #"))
        #expect(human.stdout.contains("✓ owner (owner@example.com)  →  ✓ dba (dba@example.com)"))

        // 6. A custom tester role joins the flow: tester → owner → DBA.
        #expect(try run(["role", "add", "tester", "--permissions", "issues.get"], as: admin).status == 0)
        var env = sluice
        env.env["SLUICE_NEW_PASSWORD"] = "sluice-demo-pw"
        #expect(try env.run(["member", "add", "tess@example.com", "--role", "member"], user: admin, password: "sluice-demo-pw").status == 0)
        #expect(try run(["project", "member", "add", "DEMO", "tess@example.com", "--role", "tester"], as: admin).status == 0)
        #expect(try run(["flow", "add", "tester-owner-dba", "--roles", "tester,owner,dba"], as: admin).status == 0)
        #expect(try run(["approval-rule", "set", "--source", "DDL", "--level", "HIGH", "--flow", "tester-owner-dba"], as: admin).status == 0)
        let tested = try alter("fax")
        let tid = tested["id"] as? Int ?? 0
        #expect((tested["approvals"] as? [[String: Any]])?.compactMap { $0["role"] as? String } == ["tester", "owner", "dba"])
        #expect(try run(["issue", "approve", "\(tid)"], as: owner).status == 3)
        #expect(try run(["issue", "approve", "\(tid)"], as: "tess@example.com").status == 0)
        #expect(try run(["issue", "approve", "\(tid)"], as: owner).status == 0)
        #expect(try run(["issue", "approve", "\(tid)"], as: dba).status == 0)
        try runEngine()
        states = tasks(try show(tid))
        #expect(states[0].0 == "DONE")
        #expect(states[1].0 == "NOT_STARTED")
    }

    @Test func aBadConditionIsRefusedWithItsColumnAndACaret() throws {
        let sluice = SluiceBinary(home: dir + "/home")
        #expect(try sluice.run(["demo"]).status == 0)
        let r = try sluice.run(["risk", "add", "--source", "DDL", "--level", "HIGH", "--title", "t",
                                "--condition", #"environment_id == "prod"#], user: admin, password: "sluice-demo-pw")
        #expect(r.status == 2)
        #expect(r.stderr.contains("invalid condition: column 19: unterminated string"))
        #expect(r.stderr.contains("  environment_id == \"prod\n                    ^"))
        #expect(try sluice.run(["risk", "list", "--json"], user: admin, password: "sluice-demo-pw").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }

    @Test func settingsRoundTripThroughFiles() throws {
        let sluice = SluiceBinary(home: dir + "/home")
        #expect(try sluice.run(["demo"]).status == 0)
        #expect(try sluice.run(["risk", "add", "--template", "ddl-protected-high"], user: admin, password: "sluice-demo-pw").status == 0)
        let file = dir + "/ws.toml"
        #expect(try sluice.run(["settings", "export", file], user: dev, password: "sluice-demo-pw").status == 0)
        let applied = try sluice.run(["settings", "apply", file], user: admin, password: "sluice-demo-pw")
        #expect(applied.status == 0)
        #expect(applied.stdout.contains("No changes"))
        let again = try sluice.run(["settings", "export"], user: dev, password: "sluice-demo-pw")
        #expect(again.stdout == (try String(contentsOfFile: file, encoding: .utf8)))
        #expect(again.stdout.contains(#"condition = 'environment_id in ["prod"]'"#))
        // An SQL review policy through a settings file; `sluice review --config` reads the same file.
        let policy = dir + "/review.toml", sql = dir + "/nokey.sql"
        try "[sql_review.prod]\n\"table.require-pk\" = \"ERROR\"\n".write(toFile: policy, atomically: true, encoding: .utf8)
        try "CREATE TABLE nokey (a TEXT);\n".write(toFile: sql, atomically: true, encoding: .utf8)
        let reviewApplied = try sluice.run(["settings", "apply", policy], user: admin, password: "sluice-demo-pw")
        #expect(reviewApplied.stdout.contains("SQL review policy of prod added"), "\(reviewApplied.stdout)\(reviewApplied.stderr)")
        #expect(try sluice.run(["settings", "export"], user: dev, password: "sluice-demo-pw").stdout.hasSuffix("\n[sql_review.prod]\n\"table.require-pk\" = \"ERROR\"\n"))
        let lint = try sluice.run(["review", "--config", policy, sql])
        #expect(lint.status == 1 && lint.stdout.contains("\(sql):1:1  ERROR  table.require-pk"), "\(lint.stdout)\(lint.stderr)")
        try "version = 1\n\n[[environment]]\nname = \"test\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try sluice.run(["settings", "apply", file], user: admin, password: "sluice-demo-pw")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(file):3: environment[1].order: missing (a whole number)"))
        #expect(try sluice.run(["settings", "apply", file], user: dev, password: "sluice-demo-pw").status == 3) // permission is checked first
    }
}
