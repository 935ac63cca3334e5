import Foundation
import GRDB
import SluiceSQL
import Testing
@testable import SluiceEngine

/// Registering PostgreSQL instances: secrets, discovery, and which statements leave the transaction.
@Suite struct PostgresInstanceTests {
    @Test func passwordsAreStrippedSealedAndNeverShown() throws {
        let t = try PostgresWorkspace(tag: "secret", perEnvironment: 1, environments: ["test"])
        let conninfo = try TestServer.conninfo()
        let uri = "postgresql://postgres:hunter2-in-uri@127.0.0.1:1/postgres?connect_timeout=3"
        let i = try t.ws.addInstance(by: t.admin, name: "withpw", engine: .postgres, location: uri, environment: "test")
        #expect(!i.location.contains("hunter2"))
        #expect(i.location.contains("host='127.0.0.1'") && i.location.contains("user='postgres'"))
        let stored = try t.ws.store.read { db in try String.fetchOne(db, sql: "SELECT sealedPassword FROM postgresInstance WHERE instance = 'withpw'") }
        let sealed = try #require(stored)
        #expect(!sealed.contains("hunter2"))
        #expect(try PostgresSecrets.open(sealed, keyFile: t.dir + "/home/secret.key") == "hunter2-in-uri")
        let mode = try FileManager.default.attributesOfItem(atPath: t.dir + "/home/secret.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Nothing the metastore holds as text carries the password.
        let dump = try t.ws.store.read { db in try String.fetchAll(db, sql: "SELECT location FROM instance UNION ALL SELECT location FROM targetDatabase") }
        #expect(!dump.joined().contains("hunter2"))
        // A connection failure (nothing listens on port 1) is reported without the password.
        _ = try t.ws.updatePostgresInstance(by: t.admin, name: "withpw", password: "s3cret-given")
        #expect(performing: { try t.ws.syncInstance(by: t.admin, name: "withpw") }, throws: { error in
            let text = "\(error)"
            return text.contains("cannot list the databases of withpw") && !text.contains("s3cret-given") && !text.contains("hunter2")
        })
        #expect(!PostgresError.scrub("bad conninfo: password=abc host=x").contains("abc"))
        #expect(!PostgresError.scrub("postgresql://u:pw@h/db is wrong").contains(":pw@"))
        #expect(try t.ws.postgresInstanceSettings("withpw").passwordStored)
        // The target's own instance, with no password stored, connects through libpq's defaults.
        #expect(!conninfo.isEmpty)
        #expect(try t.ws.postgresInstanceSettings("pgtest") == PostgresInstanceSettings(
            instance: "pgtest", lockTimeoutMs: 10_000, statementTimeoutMs: 1_800_000, passwordStored: false, checkRole: PostgresWorkspace.checkRole))
    }

    @Test func syncDiscoversDatabasesButNotTemplates() throws {
        let t = try PostgresWorkspace(tag: "sync", perEnvironment: 3, environments: ["test"])
        let names = try t.ws.databases(instance: "pgtest").map(\.name)
        #expect(Set(t.databases["test"] ?? []).isSubset(of: Set(names)))
        #expect(!names.contains("template0") && !names.contains("template1"))
        let extra = try TestServer.createDatabases(prefix: t.prefix + "_late", count: 1)
        defer { TestServer.drop(extra) }
        let report = try t.ws.syncInstance(by: t.admin, name: "pgtest")
        #expect(report.added.contains(extra[0]))
        let db = try t.ws.database(DatabaseRef(instance: "pgtest", name: extra[0]))
        #expect(db.location.hasSuffix("dbname='\(extra[0])'"))
    }

    @Test func statementsThatCannotRunInATransactionAreReadFromTheParseTree() {
        func rule(_ sql: String, version: Int = 150_000) -> PostgresTransactionRules.Requirement {
            PostgresTransactionRules.requirement(of: sql, serverVersion: version)
        }
        #expect(rule("CREATE INDEX CONCURRENTLY i ON t (a);") == .outsideTransaction("CREATE INDEX CONCURRENTLY"))
        #expect(rule("create unique index /* c */ concurrently if not exists i on t (a)") == .outsideTransaction("CREATE INDEX CONCURRENTLY"))
        #expect(rule("CREATE INDEX i ON t (a);") == .transactional)
        #expect(rule("DROP INDEX CONCURRENTLY i;") == .outsideTransaction("DROP INDEX CONCURRENTLY"))
        #expect(rule("REINDEX (CONCURRENTLY) TABLE t;") == .outsideTransaction("REINDEX CONCURRENTLY"))
        #expect(rule("VACUUM (ANALYZE) t;") == .outsideTransaction("VACUUM"))
        #expect(rule("ANALYZE t;") == .transactional)
        #expect(rule("CREATE DATABASE x;") == .outsideTransaction("CREATE DATABASE"))
        #expect(rule("ALTER SYSTEM SET work_mem = '8MB';") == .outsideTransaction("ALTER SYSTEM"))
        #expect(rule("ALTER TYPE mood ADD VALUE 'meh';") == .transactional)
        #expect(rule("ALTER TYPE mood ADD VALUE 'meh';", version: 110_000) == .outsideTransaction("ALTER TYPE … ADD VALUE (before PostgreSQL 12)"))
        #expect(rule("SELECT 'CREATE INDEX CONCURRENTLY';") == .transactional)
        #expect(rule("COMMIT;") == .transactionControl("COMMIT"))
        #expect(rule("SAVEPOINT a;") == .transactional)
        #expect(rule("this is not sql") == .transactional)
        #expect(rule("REINDEX DATABASE app;") == .outsideTransaction("REINDEX DATABASE/SYSTEM"))
        #expect(rule("REINDEX TABLE t;") == .transactional)
        #expect(rule("ALTER DATABASE app SET TABLESPACE fast;") == .outsideTransaction("ALTER DATABASE … SET TABLESPACE"))
        #expect(rule("ALTER DATABASE app SET work_mem = '8MB';") == .transactional)
        #expect(rule("CLUSTER;") == .outsideTransaction("CLUSTER of every table"))
        #expect(rule("CLUSTER t USING i;") == .transactional)
        #expect(rule("ALTER SUBSCRIPTION s REFRESH PUBLICATION;") == .outsideTransaction("ALTER SUBSCRIPTION … REFRESH PUBLICATION"))
        #expect(rule("DROP SUBSCRIPTION s;") == .outsideTransaction("DROP SUBSCRIPTION"))
        #expect(rule("ROLLBACK TO SAVEPOINT a;") == .transactional)
        #expect(rule("START TRANSACTION;") == .transactionControl("START"))
    }
}
