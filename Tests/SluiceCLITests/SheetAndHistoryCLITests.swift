import Foundation
import Testing

/// Through the real binary: SQL files that are not UTF-8 or hold a NUL are refused with where and
/// what to do, and nothing is created; `db history` and `db drift` follow project scoping.
@Suite struct SheetAndHistoryCLITests {
    let dir = NSTemporaryDirectory() + "sluice-cli-sheet-" + UUID().uuidString
    let dba = ("dba@example.com", "sluice-demo-pw")

    func demo() throws -> SluiceBinary {
        let sluice = SluiceBinary(home: dir + "/home")
        let r = try sluice.run(["demo"])
        #expect(r.status == 0, "demo failed: \(r.stderr)")
        return sluice
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func issueCount(_ sluice: SluiceBinary) throws -> Int {
        let list = try sluice.run(["issue", "list", "--json"], user: dba.0, password: dba.1)
        return (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count ?? -1
    }

    @Test func anSQLFileThatIsNotUTF8IsRefusedWithItsLineAndColumn() throws {
        let sluice = try demo()
        let before = try issueCount(sluice)
        let file = try write("flags.sql", Array("UPDATE customers\nSET name = 'x'\nWHERE ".utf8) + [0xC3, 0x28] + Array(";\n".utf8))
        let r = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "latin", "--sql-file", file,
                                "--target", "sqlite-test/app"], user: dba.0, password: dba.1)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("flags.sql: invalid UTF-8 at line 3, column 7 (byte 0xC3 not followed by a continuation byte): save the file as UTF-8"),
                "\(r.stderr)")
        #expect(try issueCount(sluice) == before)
        // edit-sql reads its file the same way.
        let edit = try sluice.run(["issue", "edit-sql", "2", "--spec", "spec-2", "--sql-file", file], user: dba.0, password: dba.1)
        #expect(edit.status == 2 && edit.stderr.contains("invalid UTF-8 at line 3, column 7"), "\(edit.stderr)")
    }

    @Test func anSQLFileWithANulIsRefusedAndNothingIsCreated() throws {
        let sluice = try demo()
        let before = try issueCount(sluice)
        let file = try write("nul.sql", Array("SELECT 1;\0 DROP TABLE customers;".utf8))
        let r = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "nul", "--sql-file", file,
                                "--target", "sqlite-test/app"], user: dba.0, password: dba.1)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("remove the NUL byte at line 1, column 10 of the issue"), "\(r.stderr)")
        // The same SQL as a plan's sheet file names the spec.
        let plan = #"{"steps":[{"specs":[{"id":"s1","changeDatabaseConfig":{"target":"sqlite-test/app","sheet":"nul.sql"}}]}]}"#
        let planFile = try write("plan.json", Array(plan.utf8))
        let p = try sluice.run(["issue", "create", "--project", "DEMO", "--title", "nul", "--plan", planFile], user: dba.0, password: dba.1)
        #expect(p.status == 2, "\(p.stderr)")
        #expect(p.stderr.contains("remove the NUL byte at line 1, column 10 of spec s1"), "\(p.stderr)")
        #expect(try issueCount(sluice) == before)
        // The customers table was never touched.
        #expect(try sluice.run(["run", "--until-idle"]).status == 0)
    }

    @Test func dbHistoryAsAMemberOutsideTheProjectIsDeniedAndShowsNoSQL() throws {
        let sluice = try demo()
        let add = try sluice.run(["member", "add", "out@example.com", "--role", "member", "--password-stdin"],
                                 user: "admin@example.com", password: "sluice-demo-pw", stdin: "sluice-out-password\n")
        #expect(add.status == 0, "\(add.stderr)")
        let history = try sluice.run(["db", "history", "sqlite-prod/app"], user: "out@example.com", password: "sluice-out-password")
        #expect(history.status == 3, "\(history.stdout)\(history.stderr)")
        #expect(history.stderr.contains("missing issues.get"), "\(history.stderr)")
        #expect(history.stderr.contains("DEMO"))
        #expect(history.stdout.isEmpty)
        #expect(!history.stderr.contains("audit_log"))
        let json = try sluice.run(["db", "history", "sqlite-prod/app", "--json"], user: "out@example.com", password: "sluice-out-password")
        #expect(json.status == 3 && !json.stdout.contains("audit_log"))
        let drift = try sluice.run(["db", "drift", "--json"], user: "out@example.com", password: "sluice-out-password")
        #expect(drift.status == 0, "\(drift.stderr)")
        #expect(!drift.stdout.contains("sqlite-"), "\(drift.stdout)")
        // A project member still reads it.
        let dev = try sluice.run(["db", "history", "sqlite-prod/app", "--json"], user: "dev@example.com", password: "sluice-demo-pw")
        #expect(dev.status == 0 && dev.stdout.contains("audit_log"), "\(dev.stderr)")
    }
}
