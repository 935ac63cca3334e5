import Foundation
import GRDBSQLite
import XCTest
@testable import SluiceSQL

/// Hostile sheets: each is refused at the expected construct and position, by the token-level
/// check (`pre`), by the authorizer alone (`auth`), or both; and a dry run of it, authorizer
/// alone, leaves the target file byte for byte as it was.
final class SQLiteSheetPolicyTests: XCTestCase {
    struct Expect: CustomStringConvertible {
        var construct: String
        var line: Int
        var column: Int
        init(_ construct: String, _ line: Int, _ column: Int) {
            self.construct = construct
            self.line = line
            self.column = column
        }
        var description: String { "\(line):\(column) \(construct)" }
    }

    struct Hostile {
        var sql: String
        /// What the token-level check finds first; nil when it finds nothing.
        var pre: Expect?
        /// What the authorizer alone refuses first; nil when it refuses nothing (SQLite then
        /// fails the statement itself, or the sheet needs the token-level check).
        var auth: Expect?
    }

    static func both(_ sql: String, _ construct: String, _ line: Int, _ column: Int) -> Hostile {
        Hostile(sql: sql, pre: Expect(construct, line, column), auth: Expect(construct, line, column))
    }

    static let forge = "INSERT INTO sluice_migration_history"
    static let hostile: [Hostile] = [
        // Transaction control and savepoints, in every spelling.
        both("CREATE TABLE a(x);\nCOMMIT;\nINSERT INTO member VALUES (9, 'eve', 'admin');\nBEGIN;", "COMMIT", 2, 1),
        both("CREATE TABLE a(x);\n  END;", "COMMIT", 2, 3),
        both("END TRANSACTION;", "COMMIT", 1, 1),
        both("commit transaction;", "COMMIT", 1, 1),
        both("/* done */ COMMIT;", "COMMIT", 1, 12),
        both("EXPLAIN COMMIT;", "COMMIT", 1, 9),
        both("BEGIN;", "BEGIN", 1, 1),
        both("SELECT 1;\nBEGIN IMMEDIATE TRANSACTION;", "BEGIN", 2, 1),
        both("BEGIN EXCLUSIVE;", "BEGIN", 1, 1),
        both("DELETE FROM orders;\nROLLBACK;", "ROLLBACK", 2, 1),
        both("SAVEPOINT s1;\nINSERT INTO member VALUES (9, 'x', 'y');\nRELEASE s1;", "SAVEPOINT", 1, 1),
        both("INSERT INTO member VALUES (9, 'x', 'y');\n\tROLLBACK TO s1;", "ROLLBACK TO", 2, 2),
        both("ROLLBACK TRANSACTION TO SAVEPOINT s1;", "ROLLBACK TO", 1, 1),
        both("RELEASE SAVEPOINT s1;", "RELEASE", 1, 1),
        // Other databases.
        both("ATTACH DATABASE '/tmp/sluice-policy-never.db' AS m;", "ATTACH DATABASE", 1, 1),
        both("ATTACH ':memory:' AS scratch;", "ATTACH DATABASE", 1, 1),
        both("SELECT 1;\nDETACH DATABASE m;", "DETACH DATABASE", 2, 1),
        // Pragmas.
        both("PRAGMA journal_mode=WAL;", "PRAGMA journal_mode = WAL", 1, 1),
        both("PRAGMA main.journal_mode = 'wal';", "PRAGMA journal_mode = wal", 1, 1),
        both("PRAGMA writable_schema = ON;\nUPDATE sqlite_master SET sql = 'x' WHERE name = 'member';",
             "PRAGMA writable_schema = ON", 1, 1),
        both("PRAGMA schema_version = 99;", "PRAGMA schema_version = 99", 1, 1),
        both("CREATE TABLE a(x);\nPRAGMA foreign_keys = ON;", "PRAGMA foreign_keys = ON", 2, 1),
        both("PRAGMA foreign_keys = OFF;\nCREATE TABLE a(x);", "PRAGMA foreign_keys = OFF", 1, 1),
        both("PRAGMA synchronous = OFF;", "PRAGMA synchronous = OFF", 1, 1),
        both("PRAGMA locking_mode = EXCLUSIVE;", "PRAGMA locking_mode = EXCLUSIVE", 1, 1),
        both("PRAGMA database_list;", "PRAGMA database_list", 1, 1),
        both("PRAGMA cache_size = -64000;", "PRAGMA cache_size = -64000", 1, 1),
        both("PRAGMA temp_store = MEMORY;", "PRAGMA temp_store = MEMORY", 1, 1),
        both("PRAGMA recursive_triggers = 1;", "PRAGMA recursive_triggers = 1", 1, 1),
        both("PRAGMA query_only = 1;", "PRAGMA query_only = 1", 1, 1),
        both("PRAGMA trusted_schema = 1;", "PRAGMA trusted_schema = 1", 1, 1),
        both("PRAGMA legacy_alter_table = ON;", "PRAGMA legacy_alter_table = ON", 1, 1),
        both("PRAGMA wal_checkpoint(TRUNCATE);", "PRAGMA wal_checkpoint = TRUNCATE", 1, 1),
        both("PRAGMA ignore_check_constraints = ON;", "PRAGMA ignore_check_constraints = ON", 1, 1),
        both("PRAGMA key = 'secret';", "PRAGMA key = secret", 1, 1),
        both("PRAGMA module_list;", "PRAGMA module_list", 1, 1),
        both("PRAGMA user_version = 3;\nPRAGMA page_size = 8192;", "PRAGMA page_size = 8192", 2, 1),
        both("PRAGMA defer_foreign_keys = maybe;", "PRAGMA defer_foreign_keys = maybe", 1, 1),
        Hostile(sql: "SELECT * FROM pragma_database_list;", pre: nil, auth: Expect("PRAGMA database_list", 1, 15)),
        // Functions and virtual tables that reach outside the target.
        Hostile(sql: "SELECT load_extension('/tmp/evil.so');", pre: nil, auth: Expect("load_extension()", 1, 8)),
        Hostile(sql: "SELECT 1;\nSELECT FTS3_TOKENIZER('simple');", pre: nil, auth: Expect("fts3_tokenizer()", 2, 8)),
        Hostile(sql: "CREATE VIRTUAL TABLE files USING fsdir;", pre: nil, auth: Expect("CREATE VIRTUAL TABLE … USING fsdir", 1, 34)),
        Hostile(sql: "CREATE VIRTUAL TABLE z USING zipfile('/tmp/a.zip');", pre: nil,
                auth: Expect("CREATE VIRTUAL TABLE … USING zipfile", 1, 30)),
        // The migration history and other sluice_ objects.
        both("INSERT INTO sluice_migration_history(sheet) VALUES ('forged');", forge, 1, 13),
        both("UPDATE sluice_migration_history SET sheet = 'x';", "UPDATE sluice_migration_history", 1, 8),
        both("DELETE FROM sluice_migration_history;", "DELETE FROM sluice_migration_history", 1, 13),
        both("WITH doomed AS (SELECT id FROM sluice_migration_history)\nDELETE FROM sluice_migration_history WHERE id IN (SELECT id FROM doomed);",
             "DELETE FROM sluice_migration_history", 2, 13),
        both("REPLACE INTO sluice_migration_history(id, sheet) VALUES (1, 'rewritten');", forge, 1, 14),
        both("INSERT OR REPLACE INTO main.sluice_migration_history(id, sheet) VALUES (1, 'x');", forge, 1, 29),
        both("UPDATE OR IGNORE sluice_migration_history SET sheet = 'x';", "UPDATE sluice_migration_history", 1, 18),
        Hostile(sql: "insert into \"SLUICE_MIGRATION_HISTORY\" (sheet) values ('x');",
                pre: Expect("INSERT INTO SLUICE_MIGRATION_HISTORY", 1, 13), auth: Expect(forge, 1, 13)),
        Hostile(sql: "CREATE TRIGGER forge AFTER INSERT ON member BEGIN\n  DELETE FROM sluice_migration_history;\nEND;\nINSERT INTO member VALUES (9, 'eve', 'user');",
                pre: Expect("DELETE FROM sluice_migration_history", 2, 15),
                auth: Expect("DELETE FROM sluice_migration_history (in trigger forge)", 4, 1)),
        Hostile(sql: "CREATE TRIGGER forge2 AFTER UPDATE ON orders BEGIN INSERT INTO sluice_migration_history(sheet) SELECT 'x'; END;\nUPDATE orders SET total = total + 1;",
                pre: Expect(forge, 1, 64), auth: Expect("INSERT INTO sluice_migration_history (in trigger forge2)", 2, 1)),
        Hostile(sql: "CREATE VIEW hv AS SELECT * FROM sluice_migration_history;\nCREATE TRIGGER hv_del INSTEAD OF DELETE ON hv BEGIN DELETE FROM sluice_migration_history WHERE id = old.id; END;\nDELETE FROM hv;",
                pre: Expect("DELETE FROM sluice_migration_history", 2, 65),
                auth: Expect("DELETE FROM sluice_migration_history (in trigger hv_del)", 3, 1)),
        Hostile(sql: "SELECT 1;\nINSERT INTO audit VALUES (1);", pre: nil,
                auth: Expect("INSERT INTO sluice_migration_history (in trigger audit_forger)", 2, 1)),
        both("CREATE TRIGGER h AFTER INSERT ON sluice_migration_history BEGIN SELECT 1; END;",
             "CREATE TRIGGER ON sluice_migration_history", 1, 34),
        both("CREATE TEMP TRIGGER h BEFORE DELETE ON sluice_migration_history BEGIN SELECT RAISE(IGNORE); END;",
             "CREATE TEMP TRIGGER ON sluice_migration_history", 1, 40),
        both("CREATE INDEX hist_sheet ON sluice_migration_history(sheet);", "CREATE INDEX ON sluice_migration_history", 1, 28),
        both("CREATE INDEX sluice_idx ON member(name);", "CREATE INDEX sluice_idx", 1, 14),
        both("DROP TABLE sluice_migration_history;", "DROP TABLE sluice_migration_history", 1, 12),
        both("DROP TABLE IF EXISTS main.sluice_migration_history;", "DROP TABLE sluice_migration_history", 1, 27),
        both("ALTER TABLE sluice_migration_history ADD COLUMN note TEXT;", "ALTER TABLE sluice_migration_history", 1, 13),
        both("ALTER TABLE sluice_migration_history RENAME TO history_old;", "ALTER TABLE sluice_migration_history", 1, 13),
        both("CREATE TABLE sluice_shadow(x);", "CREATE TABLE sluice_shadow", 1, 14),
        both("CREATE TEMP TABLE sluice_migration_history(id, sheet, applied_at);",
             "CREATE TEMP TABLE sluice_migration_history", 1, 19),
        both("CREATE VIEW sluice_v AS SELECT 1;", "CREATE VIEW sluice_v", 1, 13),
        both("CREATE VIRTUAL TABLE sluice_fts USING fts5(body);", "CREATE VIRTUAL TABLE sluice_fts", 1, 22),
        Hostile(sql: "ALTER TABLE member RENAME TO sluice_members;", pre: Expect("ALTER TABLE … RENAME TO sluice_members", 1, 30), auth: nil),
        Hostile(sql: "CREATE TABLE fake(id INTEGER PRIMARY KEY, sheet TEXT, applied_at TEXT);\nALTER TABLE fake RENAME TO \"sluice_migration_history\";",
                pre: Expect("ALTER TABLE … RENAME TO sluice_migration_history", 2, 28), auth: nil),
        Hostile(sql: "DROP TRIGGER IF EXISTS sluice_guard;", pre: Expect("DROP TRIGGER sluice_guard", 1, 24), auth: nil),
        // The schema tables, written directly.
        Hostile(sql: "UPDATE sqlite_master SET sql = replace(sql, 'role', 'rank') WHERE name = 'member';",
                pre: Expect("UPDATE sqlite_master", 1, 8), auth: nil),
        Hostile(sql: "INSERT INTO sqlite_master VALUES ('table', 't2', 't2', 0, 'CREATE TABLE t2(x)');",
                pre: Expect("INSERT INTO sqlite_master", 1, 13), auth: nil),
        Hostile(sql: "DELETE FROM sqlite_schema WHERE name = 'orders';", pre: Expect("DELETE FROM sqlite_schema", 1, 13), auth: nil),
        // A file written outside the target.
        Hostile(sql: "VACUUM INTO '/tmp/sluice-policy-copy.db';", pre: Expect("VACUUM INTO", 1, 1), auth: nil),
        // A rebuild that does not follow the pattern, and one whose body forges history.
        both("PRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE a(x);\nBEGIN;\nCOMMIT;\nPRAGMA foreign_keys = ON;", "PRAGMA foreign_keys = OFF", 1, 1),
        both("PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE a(x);\nCOMMIT;\nPRAGMA foreign_keys=ON;\nDELETE FROM sluice_migration_history;",
             "PRAGMA foreign_keys = OFF", 1, 1),
        both("PRAGMA foreign_keys=OFF;\nBEGIN;\nDELETE FROM sluice_migration_history;\nCOMMIT;\nPRAGMA foreign_keys=ON;",
             "DELETE FROM sluice_migration_history", 3, 13),
    ]

    func testHostileSheetsAreRefusedWhereExpectedAndLeaveTheFileUnchanged() throws {
        XCTAssertGreaterThanOrEqual(Self.hostile.count, 50)
        for (number, sheet) in Self.hostile.enumerated() {
            let label = "hostile #\(number): \(sheet.sql)"
            let found = SQLiteSheetPolicy.staticViolations(in: sheet.sql).first
            assert(found, matches: sheet.pre, label + " [token-level]")

            let target = try PolicyTarget()
            let before = target.bytes
            let outcome = try SheetDryRun.run(sheet.sql, on: target, staticCheck: false)
            if let expected = sheet.auth {
                assert(outcome.violation, matches: expected, label + " [authorizer] \(outcome)")
            } else {
                XCTAssertNil(outcome.violation, label + " [authorizer]")
            }
            XCTAssertEqual(target.bytes, before, label + ": the file changed")
            XCTAssertEqual(target.scalar("SELECT group_concat(sheet) FROM sluice_migration_history"), "v1", label)

            let full = try SheetDryRun.run(sheet.sql, on: target)
            assert(full.violation, matches: sheet.pre ?? sheet.auth, label + " [both] \(full)")
            XCTAssertEqual(target.bytes, before, label + ": the file changed")
        }
    }

    private func assert(_ violation: SheetViolation?, matches expected: Expect?, _ label: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else {
            XCTAssertNil(violation, label, file: file, line: line)
            return
        }
        guard let violation else {
            XCTFail("\(label): nothing refused, expected \(expected)", file: file, line: line)
            return
        }
        XCTAssertEqual("\(violation.line):\(violation.column) \(violation.construct)", expected.description, label, file: file, line: line)
        XCTAssertFalse(violation.reason.isEmpty || violation.hint.isEmpty, label, file: file, line: line)
    }
}
