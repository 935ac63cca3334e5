import Foundation
import Testing
@testable import SluiceEngine

/// Schema snapshots from the catalogs, drift, baseline and the plan-check primitives.
@Suite struct PostgresSchemaTests {
    static let schema = """
        CREATE EXTENSION IF NOT EXISTS pgcrypto;
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
        CREATE SEQUENCE app.ticket START 100;
        CREATE TABLE app.person (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL COLLATE "C", mood app.mood DEFAULT 'ok',
                                 score app.positive, ticket int DEFAULT nextval('app.ticket'), UNIQUE (name));
        CREATE TABLE app.visit (id serial PRIMARY KEY, person bigint REFERENCES app.person (id) ON DELETE CASCADE, at timestamptz NOT NULL DEFAULT now(),
                                CHECK (at > '2000-01-01'));
        CREATE INDEX visit_at ON app.visit (at DESC) WHERE person IS NOT NULL;
        CREATE VIEW app.recent AS SELECT p.name, v.at FROM app.person p JOIN app.visit v ON v.person = p.id;
        CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
        CREATE TRIGGER visit_touch BEFORE UPDATE ON app.visit FOR EACH ROW EXECUTE FUNCTION app.touch();
        """

    @Test func theSameSchemaAlwaysDumpsTheSameText() throws {
        let t = try PostgresWorkspace(tag: "dump", perEnvironment: 2, environments: ["test"])
        try TestServer.query(Self.schema, database: t.name("test", 0))
        // The same objects created in another order (and with other whitespace) dump the same.
        let reordered = Self.schema.split(separator: "\n").map(String.init)
        var shuffled = [reordered[0], reordered[1], reordered[4], reordered[3], reordered[2]] + reordered[5...]
        shuffled = shuffled.map { $0.replacingOccurrences(of: ", ", with: ",   ") }
        try TestServer.query(shuffled.joined(separator: "\n"), database: t.name("test", 1))
        let driver = PostgresDriver()
        let a = try driver.liveSchema(t.ws.database(t.ref("test", 0)))
        let b = try driver.liveSchema(t.ws.database(t.ref("test", 1)))
        #expect(a == b, "\(SchemaSnapshot.diff(a, b))")
        #expect(a == (try driver.liveSchema(t.ws.database(t.ref("test", 0)))))
        for expected in [
            "CREATE EXTENSION pgcrypto WITH SCHEMA public VERSION",
            "CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');",
            "CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK ((VALUE > 0));",
            "ALTER TABLE app.visit ADD CONSTRAINT visit_at_check CHECK ((at > '2000-01-01 00:00:00+00'::timestamp with time zone));",
            "CREATE SEQUENCE app.ticket AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100 CACHE 1;",
            "CREATE TABLE app.person (id bigint GENERATED ALWAYS AS IDENTITY NOT NULL, name text COLLATE pg_catalog.\"C\" NOT NULL, mood app.mood DEFAULT 'ok'::app.mood, score app.positive, ticket integer DEFAULT nextval('app.ticket'::regclass));",
            "ALTER TABLE app.visit ADD CONSTRAINT visit_person_fkey FOREIGN KEY (person) REFERENCES app.person(id) ON DELETE CASCADE;",
            "CREATE INDEX visit_at ON app.visit USING btree (at DESC) WHERE (person IS NOT NULL);",
            "CREATE VIEW app.recent AS SELECT p.name, v.at FROM app.person p JOIN app.visit v ON v.person = p.id;",
            "CREATE TRIGGER visit_touch BEFORE UPDATE ON app.visit FOR EACH ROW EXECUTE FUNCTION app.touch();",
        ] {
            #expect(a.contains(expected), "missing: \(expected)\n\(a)")
        }
        // Extension members (pgcrypto's functions) are represented by the extension alone.
        #expect(!a.contains("gen_random_uuid") && !a.contains("digest("))
    }

    @Test func driftAfterAnOutOfBandAlterIsDetectedAndClearedByABaseline() throws {
        let t = try PostgresWorkspace(tag: "drift", perEnvironment: 1, environments: ["test"])
        let issue = try t.issue([("test", [(id: "c", db: 0, sql: "CREATE TABLE account (id int PRIMARY KEY, email text);")])], version: "0001")
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id).first?.status == .done)
        let ref = t.ref("test", 0)
        #expect(try t.ws.drift(ref, by: t.admin).first?.drifted == false)
        try TestServer.query("ALTER TABLE account ADD COLUMN phone text", database: t.name("test", 0))
        let drifted = try #require(try t.ws.drift(ref, by: t.admin).first)
        #expect(drifted.drifted)
        #expect(drifted.diff.contains("- CREATE TABLE public.account (id integer NOT NULL, email text);"), "\(drifted.diff)")
        #expect(drifted.diff.contains("+ CREATE TABLE public.account (id integer NOT NULL, email text, phone text);"), "\(drifted.diff)")
        let baseline = try t.ws.baseline(ref, version: "0002", by: t.admin)
        #expect(baseline.type == "BASELINE" && baseline.version == "0002")
        #expect(try t.ws.drift(ref, by: t.admin).first?.drifted == false)
        #expect(performing: { try t.ws.baseline(ref, version: "0002", by: t.admin) }, throws: { ($0 as? SluiceError)?.kind == .precondition })
        #expect(try t.ws.history(ref, by: t.admin).map(\.version) == ["0001", "0002"])
    }

    @Test func dryRunEstimatesAndRowCounts() throws {
        let t = try PostgresWorkspace(tag: "check", perEnvironment: 1, environments: ["test"])
        let db = t.name("test", 0)
        try TestServer.query("CREATE TABLE small (x int); INSERT INTO small SELECT generate_series(1, 40);"
            + " CREATE TABLE large (x int); INSERT INTO large SELECT generate_series(1, 300000); ANALYZE large;", database: db)
        let target = try t.ws.database(t.ref("test", 0))
        let driver = PostgresDriver()
        // DDL and DML really run, then roll back.
        let ok = driver.dryRun(target, sql: "CREATE TABLE fresh (a int);\nINSERT INTO fresh VALUES (1), (2);\nDELETE FROM small WHERE x <= 10;",
                               timeLimit: 10, cancel: CancellationHandle())
        #expect(ok.outcome == .success, "\(ok)")
        #expect(ok.statements.map(\.affectedRows) == [0, 2, 10])
        #expect(try TestServer.int("SELECT count(*) FROM pg_tables WHERE tablename = 'fresh'", database: db) == 0)
        #expect(try TestServer.int("SELECT count(*) FROM small", database: db) == 40)
        let bad = driver.dryRun(target, sql: "CREATE TABLE fresh (a int);\nALTER TABLE nowhere ADD COLUMN b int;", timeLimit: 10, cancel: CancellationHandle())
        #expect(bad.outcome == .failed)
        #expect(bad.failure?.statementIndex == 1 && bad.failure?.line == 2)
        #expect(bad.failure?.message.contains("relation \"nowhere\" does not exist") == true)
        let slow = driver.dryRun(target, sql: "SELECT pg_sleep(30);", timeLimit: 0.5, cancel: CancellationHandle())
        #expect(slow.outcome == .timedOut)
        // EXPLAIN estimates from the child scan node; nil for DDL.
        let estimate = try #require(try driver.estimateAffectedRows(target, statement: "UPDATE large SET x = x + 1 WHERE x <= 150000"))
        #expect(estimate > 100_000 && estimate < 200_000, "\(estimate)")
        #expect(try driver.estimateAffectedRows(target, statement: "CREATE TABLE z (a int)") == nil)
        #expect(try driver.estimateAffectedRows(target, statement: "DELETE FROM small; DROP TABLE small") == nil)
        #expect(try TestServer.int("SELECT count(*) FROM small", database: db) == 40)
        // Small tables are counted exactly, large ones come from the statistics.
        let counts = try driver.tableRowCounts(target, tables: ["small", "large", "public.small", "missing"])
        #expect(counts["small"] == RowCount(rows: 40, exact: true))
        #expect(counts["public.small"] == RowCount(rows: 40, exact: true))
        #expect(counts["large"]?.exact == false)
        #expect(counts["missing"] == nil)
    }
}
