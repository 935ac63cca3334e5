import Foundation
import GRDBSQLite
import XCTest
@testable import SluiceSQL

/// Legitimate migrations pass both checks and commit; the engine's own statements pass with
/// the guard off; what SQLite runs on a statement's behalf while it steps is judged too.
extension SQLiteSheetPolicyTests {
    static let rebuild = """
        PRAGMA foreign_keys = OFF;
        BEGIN TRANSACTION;
        CREATE TABLE new_orders(id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES member(id), total REAL NOT NULL DEFAULT 0);
        INSERT INTO new_orders(id, member_id, total) SELECT id, member_id, coalesce(total, 0) FROM orders;
        DROP TABLE orders;
        ALTER TABLE new_orders RENAME TO orders;
        CREATE INDEX orders_member ON orders(member_id);
        CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 5;
        PRAGMA foreign_key_check;
        COMMIT;
        PRAGMA foreign_keys = ON;
        """

    static let legitimate: [String] = [
        "CREATE TABLE tag(id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL);\nINSERT INTO tag(label) VALUES ('a'), ('b');",
        "CREATE INDEX member_name ON member(name);",
        "CREATE UNIQUE INDEX IF NOT EXISTS orders_member ON orders(member_id, id);",
        "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 5;",
        "CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN UPDATE member SET name = name WHERE id = new.member_id; END;\nUPDATE orders SET total = 1;",
        "CREATE TRIGGER member_guard BEFORE DELETE ON member WHEN old.role = 'admin' BEGIN SELECT RAISE(ABORT, 'keep admins'); END;",
        "ALTER TABLE member ADD COLUMN email TEXT;",
        "ALTER TABLE member RENAME COLUMN name TO full_name;",
        "ALTER TABLE member ADD COLUMN tmp TEXT;\nALTER TABLE member DROP COLUMN tmp;",
        "ALTER TABLE orders RENAME TO purchases;",
        "CREATE TABLE archive(id, member_id, total);\nINSERT INTO archive SELECT id, member_id, total FROM orders WHERE total < 5;",
        "UPDATE orders SET total = (SELECT count(*) FROM member WHERE member.id = orders.member_id);",
        "DELETE FROM orders WHERE total < 5;",
        "ANALYZE;\nANALYZE member;",
        "PRAGMA user_version = 7;\nPRAGMA main.application_id = 1234;\nPRAGMA user_version;",
        "PRAGMA table_info(member);\nPRAGMA index_list('orders');\nPRAGMA foreign_key_list(orders);\nPRAGMA table_xinfo(member);",
        "PRAGMA foreign_key_check;\nPRAGMA foreign_key_check(orders);\nPRAGMA integrity_check;\nPRAGMA quick_check(1);",
        "CREATE VIRTUAL TABLE notes USING fts5(body);\nINSERT INTO notes(body) VALUES ('hello');\nSELECT * FROM notes WHERE notes MATCH 'hello';",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)\nINSERT INTO orders(member_id, total) SELECT 1, i FROM n;",
        "REINDEX;\nREINDEX member;",
        "SELECT count(*) FROM sluice_migration_history;\nSELECT max(id) FROM main.sluice_migration_history;",
        "UPDATE member SET role = 'admin' WHERE id = (SELECT count(*) FROM sluice_migration_history);",
        rebuild,
        "PRAGMA defer_foreign_keys = ON;\nDELETE FROM member WHERE id = 2;\nDELETE FROM orders WHERE member_id = 2;",
        "INSERT INTO member(id, name, role) VALUES (1, 'ann', 'user') ON CONFLICT(id) DO UPDATE SET role = excluded.role;",
        "CREATE TABLE settings(k TEXT PRIMARY KEY, v) WITHOUT ROWID;\nINSERT OR REPLACE INTO settings VALUES ('mode', 'fast');",
        "DROP VIEW IF EXISTS nothing_here;\nDROP INDEX IF EXISTS nothing_either;\nDROP TABLE audit;",
        "CREATE TEMP TABLE scratch(x);\nINSERT INTO scratch SELECT id FROM member;\nUPDATE member SET role = 'user' WHERE id IN (SELECT x FROM scratch);",
        "SELECT * FROM pragma_table_info('member');\nSELECT json_extract('{\"a\":1}', '$.a'), value FROM json_each('[1,2]');",
        "PRAGMA optimize;\nPRAGMA foreign_keys;\nPRAGMA schema_version;\nPRAGMA data_version;",
        "CREATE TABLE sluicegate(x);\nINSERT INTO sluicegate VALUES ('sluice_migration_history');",
        "CREATE TABLE note(id INTEGER PRIMARY KEY, member_id REFERENCES member(id) ON DELETE CASCADE ON UPDATE CASCADE, body TEXT);",
        "PRAGMA foreign_keys = off;\nPRAGMA foreign_keys = on;",
    ]

    func testLegitimateMigrationsPassAndCommit() throws {
        XCTAssertGreaterThanOrEqual(Self.legitimate.count, 25)
        for (number, sql) in Self.legitimate.enumerated() {
            let label = "legitimate #\(number): \(sql)"
            XCTAssertEqual(SQLiteSheetPolicy.staticViolations(in: sql), [], label)
            let target = try PolicyTarget()
            XCTAssertEqual(try SheetDryRun.run(sql, on: target, staticCheck: false), .passed, label)
            XCTAssertEqual(try SheetDryRun.run(sql, on: target, commit: true), .passed, label)
        }
    }

    func testTheRebuildRunsWithForeignKeysOffAndKeepsTheData() throws {
        let target = try PolicyTarget()
        XCTAssertEqual(try SheetDryRun.run(Self.rebuild, on: target, commit: true), .passed)
        XCTAssertEqual(target.scalar("SELECT group_concat(total) FROM orders"), "9.5,3.0")
        XCTAssertEqual(target.scalar("SELECT sql LIKE '%NOT NULL DEFAULT 0%' FROM sqlite_schema WHERE name = 'orders'"), "1")
        XCTAssertEqual(target.scalar("PRAGMA foreign_keys"), "1")
    }

    func testAnAttachedFileIsNeitherWrittenNorRead() throws {
        let target = try PolicyTarget()
        let other = try PolicyTarget()
        let otherBefore = other.bytes
        let before = target.bytes
        let sql = "ATTACH DATABASE '\(other.path)' AS m;\nUPDATE m.member SET role = 'admin';"
        let outcome = try SheetDryRun.run(sql, on: target, staticCheck: false)
        XCTAssertEqual(outcome.violation?.construct, "ATTACH DATABASE")
        XCTAssertEqual(outcome.violation.map { "\($0.statementIndex) \($0.line):\($0.column)" }, "0 1:1")
        XCTAssertEqual(other.bytes, otherBefore)
        XCTAssertEqual(target.bytes, before)
        XCTAssertEqual(other.scalar("SELECT group_concat(role) FROM member"), "user,admin")
    }

    func testVacuumIntoIsRefusedWhileItStepsAndNoFileIsWritten() throws {
        let target = try PolicyTarget()
        let copy = target.directory.appendingPathComponent("copy.db").path
        let sql = "VACUUM INTO '\(copy)';"
        let guard_ = SQLiteSheetGuard()
        guard_.install(on: target.handle!)
        var prepared: OpaquePointer?
        // The authorizer hears nothing while VACUUM prepares; the ATTACH it runs is refused.
        XCTAssertEqual(sqlite3_prepare_v2(target.handle, sql, -1, &prepared, nil), SQLITE_OK)
        XCTAssertNil(guard_.denial)
        XCTAssertEqual(sqlite3_step(prepared), SQLITE_AUTH)
        sqlite3_finalize(prepared)
        XCTAssertEqual(guard_.denial?.construct, "ATTACH DATABASE")
        let statement = try XCTUnwrap(StatementSplitter.split(sql, dialect: .sqlite).first)
        XCTAssertEqual(guard_.violation(for: statement, in: sql).map { "\($0.line):\($0.column)" }, "1:1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy))
        // With the guard off, as the executor runs its own plain VACUUM, VACUUM works.
        guard_.isEnabled = false
        guard_.reset()
        XCTAssertNoThrow(try target.exec("VACUUM"))
        XCTAssertNil(guard_.denial)
    }

    func testTheEngineWritesHistoryWithTheGuardOff() throws {
        let target = try PolicyTarget()
        let guard_ = SQLiteSheetGuard()
        guard_.install(on: target.handle!)
        XCTAssertThrowsError(try target.exec("INSERT INTO sluice_migration_history(sheet) VALUES ('v2')"))
        XCTAssertEqual(guard_.denial?.construct, "INSERT INTO sluice_migration_history")
        guard_.reset()
        XCTAssertNil(guard_.denial)
        guard_.isEnabled = false
        XCTAssertNoThrow(try target.exec("INSERT INTO sluice_migration_history(sheet) VALUES ('v2')"))
        XCTAssertNil(guard_.denial)
        SQLiteSheetGuard.uninstall(from: target.handle!)
        XCTAssertEqual(target.scalar("SELECT group_concat(sheet) FROM sluice_migration_history"), "v1,v2")
    }

    /// A statement may end Sluice's transaction by failing (`OR ROLLBACK`, `RAISE(ROLLBACK)`);
    /// no action reports it, so the runner's stop at the first error is what keeps the rest of
    /// the sheet from running outside the transaction.
    func testAStatementThatRollsBackByFailingStopsTheSheet() throws {
        let sheets = [
            "INSERT OR ROLLBACK INTO member VALUES (1, 'dup', 'x');\nUPDATE member SET role = 'admin';",
            "CREATE TRIGGER r AFTER INSERT ON orders BEGIN SELECT RAISE(ROLLBACK, 'no'); END;\nINSERT INTO orders(member_id) VALUES (1);\nUPDATE member SET role = 'admin';",
        ]
        for sql in sheets {
            let target = try PolicyTarget()
            let before = target.bytes
            guard case .failed(let index, _) = try SheetDryRun.run(sql, on: target, commit: true) else {
                return XCTFail("expected a failure: \(sql)")
            }
            XCTAssertEqual(index, sql.hasPrefix("INSERT") ? 0 : 1, sql)
            XCTAssertEqual(target.bytes, before, sql)
            XCTAssertEqual(target.scalar("SELECT group_concat(role) FROM member"), "user,admin", sql)
        }
    }

    func testDecisionsOnSQLitesOwnBookkeeping() {
        func decide(_ action: Int32, _ first: String?, _ second: String? = nil, trigger: String? = nil) -> Bool {
            SQLiteSheetPolicy.decide(action: action, first: first, second: second, database: "main", trigger: trigger) == .allow
        }
        XCTAssertTrue(decide(SQLITE_INSERT, "sqlite_master"))
        XCTAssertTrue(decide(SQLITE_UPDATE, "sqlite_sequence", "seq"))
        XCTAssertTrue(decide(SQLITE_INSERT, "sqlite_stat1"))
        XCTAssertTrue(decide(SQLITE_READ, "sluice_migration_history", "sheet"))
        XCTAssertTrue(decide(SQLITE_UPDATE, "sluicegate", "x"))
        XCTAssertTrue(decide(SQLITE_CREATE_VTABLE, "t", "FTS5"))
        XCTAssertTrue(decide(SQLITE_FUNCTION, nil, "sqlite_rename_table"))
        XCTAssertFalse(decide(SQLITE_UPDATE, "sqlite_master", "sql", trigger: "t"))
        XCTAssertFalse(decide(SQLITE_READ, "sqlite_dbpage", "data"))
        XCTAssertFalse(decide(SQLITE_DROP_VTABLE, "files", "fsdir"))
        XCTAssertFalse(decide(SQLITE_FUNCTION, nil, "writefile"))
        XCTAssertFalse(decide(SQLITE_DELETE, "Sluice_Migration_History"))
        XCTAssertFalse(decide(SQLITE_PRAGMA, "defer_foreign_keys", "2"))
        XCTAssertFalse(decide(99, nil))
        XCTAssertEqual(SQLiteSheetPolicy.decide(action: SQLITE_PRAGMA, first: "journal_mode", second: nil, database: nil, trigger: nil),
                       .deny(construct: "PRAGMA journal_mode", reason: SQLitePolicyText.unknownPragmaReason,
                             hint: SQLitePolicyText.unknownPragmaHint))
    }
}
