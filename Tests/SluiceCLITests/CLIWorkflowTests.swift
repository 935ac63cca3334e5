import Foundation
import GRDB
import Testing

/// The command-line contract driven through the real binary on real files.
@Suite struct CLIWorkflowTests {
    let dir = NSTemporaryDirectory() + "sluice-cli-" + UUID().uuidString

    func demo() throws -> SluiceBinary {
        let sluice = SluiceBinary(home: dir + "/home")
        let r = try sluice.run(["demo"])
        #expect(r.status == 0, "demo failed: \(r.stderr)")
        return sluice
    }

    @Test func demoWorkspaceHasTheDescribedShape() throws {
        let sluice = try demo()
        let issues = try sluice.run(["issue", "list", "--json"], user: "dba@example.com", password: "sluice-demo-pw")
        #expect(issues.status == 0)
        let list = try JSONSerialization.jsonObject(with: Data(issues.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.count == 2)
        #expect(Set(list.compactMap { $0["status"] as? String }) == ["OPEN", "DONE"])
        let envs = try sluice.run(["env", "list", "--json"], user: "dev@example.com", password: "sluice-demo-pw")
        #expect(envs.stdout.contains("\"autoRollout\" : true"))
        // Issue #2 is done in test and waits for a manual prod rollout, with the cause shown.
        let show = try sluice.run(["issue", "show", "2", "--json"], user: "dev@example.com", password: "sluice-demo-pw")
        let issue = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let stages = (issue["rollout"] as? [String: Any])?["stages"] as? [[String: Any]] ?? []
        let prodTask = (stages.last?["tasks"] as? [[String: Any]])?.first
        #expect(prodTask?["status"] as? String == "NOT_STARTED")
        #expect((prodTask?["waitingCause"] as? String)?.contains("manual rollout") == true)
        #expect(prodTask?["database"] as? String == "sqlite-prod/app")
        // The demo refuses to overwrite a workspace without --reset.
        let again = try sluice.run(["demo"])
        #expect(again.status == 5)
        #expect(again.stderr.contains("--reset"))
    }

    @Test func permissionDeniedExitsThreeAndNamesThePermission() throws {
        let sluice = try demo()
        let r = try sluice.run(["rollout", "run", "2", "--stage", "prod"], user: "dev@example.com", password: "sluice-demo-pw")
        #expect(r.status == 3)
        #expect(r.stderr.contains("rollouts.run"))
        let m = try sluice.run(["member", "add", "x@example.com", "--role", "dba", "--password-stdin"], user: "dba@example.com", password: "sluice-demo-pw",
                               stdin: "secret\n")
        #expect(m.status == 3)
        #expect(m.stderr.contains("members.manage"))
        let warnings = try sluice.run(["project", "set", "DEMO", "--allow-warnings", "true"], user: "dev@example.com", password: "sluice-demo-pw")
        #expect(warnings.status == 3 && warnings.stderr.contains("projects.manage"), "\(warnings.stderr)")
        let allowed = try sluice.run(["project", "set", "DEMO", "--allow-warnings", "true", "--json"], user: "admin@example.com", password: "sluice-demo-pw")
        #expect(allowed.status == 0 && allowed.stdout.contains("\"allowWarnings\" : true"), "\(allowed.stdout)\(allowed.stderr)")
        let wrong = try sluice.run(["issue", "list"], user: "dba@example.com", password: "nope")
        #expect(wrong.status == 3)
        #expect(!wrong.stderr.contains("nope"))
    }

    @Test func exitCodesFollowTheContract() throws {
        let sluice = try demo()
        let dba = ("dba@example.com", "sluice-demo-pw")
        #expect(try sluice.run(["issue", "show", "999"], user: dba.0, password: dba.1).status == 4)
        let unknown = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "t", "--sql", "SELECT 1;",
                                      "--target", "sqlite-test/nope"], user: dba.0, password: dba.1)
        #expect(unknown.status == 4)
        #expect(unknown.stderr.contains("unknown database sqlite-test/nope"))
        let empty = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "t", "--sql", "  ",
                                    "--target", "sqlite-test/app"], user: dba.0, password: dba.1)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("the SQL is empty"))
        #expect(try sluice.run(["issue", "show"], user: dba.0, password: dba.1).status == 2)
        let finished = try sluice.run(["rollout", "run", "1"], user: dba.0, password: dba.1)
        #expect(finished.status == 5)
        // Global options may come before the subcommand.
        let hoisted = try SluiceBinary(home: dir + "/nothing").run(["--home", dir + "/home", "--json", "issue", "show", "2"], user: dba.0, password: dba.1)
        #expect(hoisted.status == 0, "\(hoisted.stderr)")
        #expect(hoisted.stdout.contains("\"approvalStatus\""))
        let noWorkspace = try SluiceBinary(home: dir + "/nothing").run(["issue", "list"], user: dba.0, password: dba.1)
        #expect(noWorkspace.status == 4)
        #expect(noWorkspace.stderr.contains("sluice init"))
    }

    @Test func fullWorkflowFromTheCommandLine() throws {
        let sluice = try demo()
        let dba = ("dba@example.com", "sluice-demo-pw")
        let login = try sluice.run(["login", "dev@example.com"], password: "sluice-demo-pw")
        #expect(login.status == 0)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/home/session")
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let create = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "Add notes", "--sql",
                                     "ALTER TABLE orders ADD COLUMN note TEXT;", "--target", "sqlite-test/app",
                                     "--target", "sqlite-prod/app", "--schema-version", "0003", "--json"])
        #expect(create.status == 0, "\(create.stderr)")
        let created = try #require(try JSONSerialization.jsonObject(with: Data(create.stdout.utf8)) as? [String: Any])
        let id = try #require(created["id"] as? Int)
        #expect(try sluice.run(["run", "--until-idle"]).status == 0)
        #expect(try sluice.run(["rollout", "run", "\(id)"], user: dba.0, password: dba.1).status == 0)
        #expect(try sluice.run(["run", "--until-idle"]).status == 0)
        let show = try sluice.run(["issue", "show", "\(id)", "--json"])
        #expect(show.stdout.contains("\"status\" : \"DONE\""))
        let history = try sluice.run(["db", "history", "sqlite-prod/app", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["version"] as? String } == ["0001", "0002", "0003"] || rows.map { $0["version"] as? String } == ["0001", "0003"])
        // The same version again is refused by the executor.
        let again = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "Again", "--sql",
                                    "CREATE TABLE t9(a);", "--target", "sqlite-test/app", "--schema-version", "0003"])
        #expect(again.status == 0)
        _ = try sluice.run(["run", "--until-idle"])
        let tasks = try sluice.run(["task", "list", "\(id + 1)", "--json"])
        #expect(tasks.stdout.contains("FAILED"))
        #expect(tasks.stdout.contains("already applied"))
        // Drift: an out-of-band change is detected and a baseline clears it.
        let prod = dir + "/home/demo/sqlite-prod/app.db"
        try DatabaseQueue(path: prod).write { try $0.execute(sql: "CREATE TABLE sneaky(a)") }
        let drift = try sluice.run(["db", "drift", "sqlite-prod/app", "--json"])
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("sneaky"))
        #expect(try sluice.run(["db", "baseline", "sqlite-prod/app", "--version", "0004"], user: dba.0, password: dba.1).status == 0)
        #expect(try sluice.run(["db", "drift", "sqlite-prod/app"]).status == 0)
        #expect(try sluice.run(["logout"]).status == 0)
        #expect(try sluice.run(["whoami"]).status == 3)
    }

    @Test func aPlanFileIsValidated() throws {
        let sluice = try demo()
        let dba = ("dba@example.com", "sluice-demo-pw")
        func plan(_ json: String) throws -> SluiceBinary.Result {
            let path = dir + "/plan-\(UUID().uuidString).json"
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return try sluice.run(["issue", "create", "--project", "DEMO", "--title", "p", "--plan", path], user: dba.0, password: dba.1)
        }
        let mixed = try plan(#"{"steps":[{"title":"both","specs":[{"id":"a","changeDatabaseConfig":{"target":"instances/sqlite-test/databases/app","sheet":"SELECT 1;"}},{"id":"b","changeDatabaseConfig":{"target":"sqlite-prod/app","sheet":"SELECT 1;"}}]}]}"#)
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("spans the environments prod and test"))
        let badTime = try plan(#"{"steps":[{"specs":[{"id":"a","earliestAllowedTime":"tomorrow","changeDatabaseConfig":{"target":"sqlite-test/app","sheet":"SELECT 1;"}}]}]}"#)
        #expect(badTime.status == 2)
        #expect(badTime.stderr.contains("not an ISO 8601 time"))
        let good = try plan(#"{"steps":[{"title":"Test","specs":[{"id":"a","changeDatabaseConfig":{"target":"instances/sqlite-test/databases/app","sheet":"CREATE TABLE p1(a);","type":"MIGRATE","schemaVersion":"0100"}},{"id":"b","dependsOnSpecs":["a"],"changeDatabaseConfig":{"target":"sqlite-test/app","sheet":"INSERT INTO p1 VALUES (1);","type":"DATA"}}]}]}"#)
        #expect(good.status == 0, "\(good.stderr)")
    }
}
