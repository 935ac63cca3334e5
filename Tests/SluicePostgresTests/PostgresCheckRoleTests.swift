import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Unapproved SQL runs with the least privilege: a dry run never shows data its reader could not
/// see otherwise, with no check role (EXPLAIN only), with an unprivileged one, or with one that
/// may read more than the reader (quoted values are scrubbed from errors).
@Suite(.serialized) struct PostgresCheckRoleTests {
    static let leaks = [
        "SELECT CAST((SELECT string_agg(usename || ':' || passwd, ',') FROM pg_shadow) AS int);",
        "SELECT CAST((SELECT string_agg(datname, ',') FROM pg_database) AS int);",
        "SELECT 1 FROM pg_class WHERE oid = current_setting('data_directory')::oid;",
        "CREATE TABLE t (x int);\nINSERT INTO t SELECT CAST(setting AS int) FROM pg_settings WHERE name = 'data_directory';",
    ]

    /// Every word a leak could show: password hashes, database names, the data directory.
    static func secrets() throws -> [String] {
        let hashes = try TestServer.query("SELECT passwd FROM pg_shadow WHERE passwd IS NOT NULL").compactMap { $0 }
        let dir = try TestServer.query("SHOW data_directory").compactMap { $0 }
        return hashes + dir + ["template1"]
    }

    /// What the dry run told the issue's readers.
    func checkText(_ t: PostgresWorkspace, _ issue: Int64) throws -> String {
        try t.ws.planChecks(issue: issue, by: t.admin).filter { $0.kind == .dryRun }.flatMap(\.results)
            .map { "\($0.title): \($0.content)" }.joined(separator: "\n")
    }

    @Test func withoutACheckRoleTheDryRunIsLimitedToExplainAndLeaksNothing() throws {
        _ = try? TestServer.query("ALTER ROLE postgres PASSWORD 'sekrit-hash-source'")
        let t = try PostgresWorkspace(tag: "nochk", perEnvironment: 1, environments: ["test"], testAutomatic: false, checkRole: nil)
        let secrets = try Self.secrets()
        #expect(!secrets.isEmpty)
        for sql in Self.leaks {
            let issue = try t.issue([("test", [(id: "s", db: 0, sql: sql)])])
            let text = try checkText(t, issue.id)
            #expect(text.contains("limited to EXPLAIN") || text.contains("dry run failed"), "\(sql): \(text)")
            for s in secrets { #expect(!text.contains(s), "\(sql) leaked \(s) into the checks: \(text)") }
        }
        // An honest sheet is planned, not run: nothing changes on the target.
        let honest = try t.issue([("test", [(id: "h", db: 0, sql: "CREATE TABLE kept (x int);\nINSERT INTO kept VALUES (1);")])])
        #expect(try checkText(t, honest.id).contains("limited to EXPLAIN"))
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_class WHERE relname = 'kept'") == 0)
        _ = try? TestServer.query("ALTER ROLE postgres PASSWORD NULL")
    }

    @Test func anUnprivilegedCheckRoleCannotReadWhatTheInstanceCan() throws {
        _ = try? TestServer.query("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sluice_nobody') THEN CREATE ROLE sluice_nobody LOGIN; END IF; END $$")
        _ = try? TestServer.query("ALTER ROLE postgres PASSWORD 'sekrit-hash-source'")
        defer { _ = try? TestServer.query("ALTER ROLE postgres PASSWORD NULL") }
        let t = try PostgresWorkspace(tag: "nobody", perEnvironment: 1, environments: ["test"], testAutomatic: false, checkRole: "sluice_nobody")
        let secrets = try Self.secrets()
        let issue = try t.issue([("test", [(id: "s", db: 0, sql: Self.leaks[0])])])
        let text = try checkText(t, issue.id)
        #expect(text.contains("permission denied"), "\(text)")
        for s in secrets { #expect(!text.contains(s), "leaked \(s): \(text)") }
    }

    @Test func aCheckRoleThatReadsMoreStillShowsNoQuotedValueTheSheetLacks() throws {
        let t = try PostgresWorkspace(tag: "chk", perEnvironment: 1, environments: ["test"], testAutomatic: false)
        let issue = try t.issue([("test", [(id: "s", db: 0, sql: Self.leaks[1])])])
        let text = try checkText(t, issue.id)
        #expect(text.contains("invalid input syntax for type integer: \"…\""), "\(text)")
        #expect(!text.contains("template1"), "\(text)")
        #expect(!text.contains(t.name("test", 0)), "the target's own name is data the sheet did not hold: \(text)")
        // The full dry run still names what the sheet itself wrote.
        let typo = try t.issue([("test", [(id: "s", db: 0, sql: "SELECT * FROM no_such_table;")])])
        #expect(try checkText(t, typo.id).contains("\"no_such_table\""))
    }
}
