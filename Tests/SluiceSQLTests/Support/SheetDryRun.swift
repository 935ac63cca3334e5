import Foundation
import GRDBSQLite
@testable import SluiceSQL

/// A SQLite target in a temporary file, laid out as Sluice leaves one: a migration history
/// with a row in it, a few application tables, and a trigger an earlier task left behind that
/// writes the history when `audit` gets a row.
final class PolicyTarget {
    static let schema = """
        CREATE TABLE sluice_migration_history(id INTEGER PRIMARY KEY AUTOINCREMENT, sheet TEXT NOT NULL, applied_at TEXT);
        INSERT INTO sluice_migration_history(sheet, applied_at) VALUES ('v1', '2026-01-01');
        CREATE TABLE member(id INTEGER PRIMARY KEY, name TEXT, role TEXT);
        INSERT INTO member VALUES (1, 'ann', 'user'), (2, 'bob', 'admin');
        CREATE TABLE orders(id INTEGER PRIMARY KEY AUTOINCREMENT, member_id INTEGER REFERENCES member(id), total REAL);
        INSERT INTO orders(member_id, total) VALUES (1, 9.5), (2, 3);
        CREATE TABLE audit(x);
        CREATE TRIGGER audit_forger AFTER INSERT ON audit BEGIN
            INSERT INTO sluice_migration_history(sheet) VALUES ('forged');
        END;
        """

    let directory: URL
    let path: String
    private(set) var handle: OpaquePointer?

    init(schema: String = PolicyTarget.schema) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("target.db").path
        handle = try Self.open(path)
        guard sqlite3_exec(handle, schema, nil, nil, nil) == SQLITE_OK else { throw PolicyTestError(message) }
    }

    deinit {
        sqlite3_close_v2(handle)
        try? FileManager.default.removeItem(at: directory)
    }

    static func open(_ path: String) throws -> OpaquePointer {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw PolicyTestError("cannot open \(path)")
        }
        return db
    }

    var message: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }
    var bytes: Data { (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw PolicyTestError(message) }
    }

    func scalar(_ sql: String) -> String? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }
}

struct PolicyTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How a sheet ended when run as the engine will run it.
enum SheetOutcome: Equatable, CustomStringConvertible {
    case passed
    case refused(SheetViolation)
    /// SQLite itself refused a statement (an error, not a denial).
    case failed(statement: Int, message: String)

    var violation: SheetViolation? { if case .refused(let v) = self { v } else { nil } }

    var description: String {
        switch self {
        case .passed: "passed"
        case .refused(let v): "refused statement \(v.statementIndex) at \(v.line):\(v.column): \(v.construct)"
        case .failed(let index, let message): "failed at statement \(index): \(message)"
        }
    }
}

/// Runs sheets on a target the way Sluice's executor will: optionally the token-level check
/// first (a violation refuses the sheet before anything runs), then each statement prepared and
/// stepped with the guard installed, stopping at the first denial or error. A recognised
/// table-rebuild sheet runs with foreign keys turned off around the transaction, its framing
/// statements skipped and `PRAGMA foreign_key_check` run before the end.
enum SheetDryRun {
    static func run(_ sql: String, on target: PolicyTarget, staticCheck: Bool = true, commit: Bool = false) throws -> SheetOutcome {
        if staticCheck, let first = SQLiteSheetPolicy.staticViolations(in: sql).first { return .refused(first) }
        let statements = try StatementSplitter.split(sql, dialect: .sqlite)
        let pattern = SQLiteRebuildPattern.recognise(statements)
        let skipped = Set(pattern?.framing ?? [])
        let guard_ = SQLiteSheetGuard()
        guard let db = target.handle else { throw PolicyTestError("closed") }
        if pattern != nil { try target.exec("PRAGMA foreign_keys = OFF") }
        try target.exec("BEGIN IMMEDIATE")
        guard_.install(on: db)
        defer {
            SQLiteSheetGuard.uninstall(from: db)
            if sqlite3_get_autocommit(db) == 0 { _ = try? target.exec(commit ? "COMMIT" : "ROLLBACK") }
            if pattern != nil { _ = try? target.exec("PRAGMA foreign_keys = ON") }
        }
        for statement in statements where !skipped.contains(statement.index) {
            guard_.reset()
            var prepared: OpaquePointer?
            var rc = sqlite3_prepare_v2(db, statement.text, -1, &prepared, nil)
            if rc == SQLITE_OK {
                repeat { rc = sqlite3_step(prepared) } while rc == SQLITE_ROW
                if rc == SQLITE_DONE { rc = SQLITE_OK }
            }
            let message = target.message
            sqlite3_finalize(prepared)
            if let violation = guard_.violation(for: statement, in: sql) { return .refused(violation) }
            if rc != SQLITE_OK { return .failed(statement: statement.index, message: message) }
        }
        guard_.isEnabled = false
        if pattern != nil, target.scalar("PRAGMA foreign_key_check") != nil {
            return .failed(statement: statements.count, message: "foreign_key_check found violations")
        }
        return .passed
    }
}
