import Foundation
import Testing
@testable import SluiceEngine

/// The task path's batched round trips (issue 5's benchmark): the schema dump prepared once per
/// session must read the same as the plain query, the history row's snapshots must match the
/// live schema, and values sent as literals must survive quotes.
@Suite struct PostgresSnapshotBatchTests {
    @Test func thePreparedDumpReadsLikeThePlainQueryAndFollowsDDL() throws {
        let t = try PostgresWorkspace(tag: "prep", perEnvironment: 1, environments: ["test"])
        try TestServer.query(PostgresSchemaTests.schema, database: t.name("test", 0))
        let conn = try PostgresConnection(conninfo: try TestServer.conninfo(), database: t.name("test", 0), password: nil)
        let plain = try PostgresSchemaSnapshot.dump(conn, prepare: false)
        #expect(!conn.snapshotPrepared)
        let first = try PostgresSchemaSnapshot.dump(conn)
        #expect(conn.snapshotPrepared && conn.dirty)
        let second = try PostgresSchemaSnapshot.dump(conn)
        #expect(plain == first && first == second, "\(SchemaSnapshot.diff(plain, second))")
        #expect(plain.contains("CREATE TABLE app.person"))
        // The cached plan sees DDL made after it was prepared, in and out of a transaction.
        try conn.execute("BEGIN; CREATE TABLE app.later (x int); ALTER TABLE app.person ADD COLUMN nick text")
        let inside = try PostgresSchemaSnapshot.dump(conn)
        #expect(inside.contains("CREATE TABLE app.later (x integer);") && inside.contains("nick text"))
        #expect(inside == (try PostgresSchemaSnapshot.dump(conn, prepare: false)))
        try conn.execute("ROLLBACK")
        #expect(try PostgresSchemaSnapshot.dump(conn) == plain)
        // The session's own settings come back after every dump.
        #expect(try conn.execute("SHOW search_path").rows.first?.first == "\"$user\", public")
        try conn.reset()
        #expect(!conn.snapshotPrepared && !conn.dirty)
        #expect(try PostgresSchemaSnapshot.dump(conn) == plain)
    }

    @Test func historySnapshotsMatchTheLiveSchemaAlsoWhenTheSheetDeallocates() throws {
        let t = try PostgresWorkspace(tag: "snaps", perEnvironment: 2, environments: ["test"])
        // Versions are names now (quotes are refused at plan time); one with every allowed punctuation mark.
        let version = "v1.0-rc_2"
        let issue = try t.issue([("test", [
            (id: "a", db: 0, sql: "CREATE TABLE a (id int PRIMARY KEY);\nDO $$ BEGIN EXECUTE 'DEALLOCATE ALL'; END $$;\nCREATE TABLE b (note text DEFAULT 'it''s');"),
            (id: "b", db: 1, sql: PostgresSchemaTests.schema),
        ])], version: version)
        try t.runUntilIdle()
        let tasks = try t.tasks(issue.id)
        #expect(tasks.map(\.status) == [.done, .done], "\(tasks.compactMap { $0.latestRun?.message })")
        let driver = PostgresDriver()
        for i in 0..<2 {
            let history = try t.ws.history(t.ref("test", i), by: t.admin)
            #expect(history.count == 1)
            let record = try #require(history.first)
            #expect(record.version == version && record.status == "DONE")
            #expect(record.schemaBefore.contains("CREATE SCHEMA public;") && !record.schemaBefore.contains("CREATE TABLE"), "\(record.schemaBefore)")
            #expect(record.schemaAfter == (try driver.liveSchema(t.ws.database(t.ref("test", i)))))
        }
        #expect(try t.ws.history(t.ref("test", 0), by: t.admin).first?.schemaAfter.contains("CREATE TABLE public.b (note text DEFAULT 'it''s'::text);") == true)
        // The same version again is found by the prior-records query (its literal escaped) and refused.
        let again = try t.issue([("test", [(id: "a", db: 0, sql: "CREATE TABLE c (x int);")])], version: version)
        try t.runUntilIdle()
        let task = try #require(try t.tasks(again.id).first)
        #expect(task.status == .failed)
        #expect(task.latestRun?.message?.contains("is already applied") == true, "\(String(describing: task.latestRun?.message))")
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_tables WHERE tablename = 'c'") == 0)
    }
}
