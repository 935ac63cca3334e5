import Foundation
import GRDBSQLite
import SluiceSQL

/// A sheet made ready to run on a SQLite target, the same way for a task and for its dry run:
/// the sheet policy's static check, SQLite's table-rebuild form recognised (its framing
/// statements are Sluice's to run, so they are blanked out of the text SQLite runs, every
/// position kept), and the guard that SQLite's authorizer consults while the sheet's own
/// statements prepare and step.
struct SQLiteSheet {
    let source: String
    /// The statements the policy refuses without running anything, in order.
    let violations: [SheetViolation]
    var violation: SheetViolation? { violations.first }
    /// The table-rebuild form: foreign keys off around the task, `PRAGMA foreign_key_check` before the commit.
    let rebuild: SQLiteRebuildPattern?
    /// The text SQLite runs: `source` with the rebuild's framing statements replaced by spaces.
    let runnable: String
    /// The framing statements, for the log.
    let framing: [SQLStatement]
    let statements: [SQLStatement]

    /// The sheet made ready, from a small cache: a fan-out runs (and dry-runs) one sheet on
    /// thousands of tenants, and its policy check and split depend on its text alone.
    static func ready(_ sql: String) -> SQLiteSheet {
        if let cached = cache.withLock({ $0[sql] }) { return cached }
        let sheet = SQLiteSheet(sql)
        cache.withLock { entries in
            if entries.count >= 32 { entries.removeAll() }
            entries[sql] = sheet
        }
        return sheet
    }

    private static let cache = Locked<[String: SQLiteSheet]>([:])

    init(_ sql: String) {
        source = sql
        statements = (try? StatementSplitter.split(sql, dialect: .sqlite)) ?? []
        violations = SQLiteSheetPolicy.staticViolations(in: statements, source: sql)
        rebuild = SQLiteRebuildPattern.recognise(statements)
        let framed = Set(rebuild?.framing ?? [])
        framing = statements.filter { framed.contains($0.index) }
        guard !framing.isEmpty else { runnable = sql; return }
        var bytes = Array(sql.utf8)
        for s in framing {
            for i in s.start..<min(s.end, bytes.count) where bytes[i] != 0x0a { bytes[i] = 0x20 }
        }
        runnable = String(decoding: bytes, as: UTF8.self)
    }

    /// The statement of the sheet that starts at byte `start` (or the last one before it).
    func statement(at start: Int) -> SQLStatement? {
        // Binary search: a sheet may hold hundreds of thousands of statements.
        var low = 0, high = statements.count
        while low < high {
            let mid = (low + high) / 2
            if statements[mid].start <= start { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? statements[low - 1] : nil
    }

    /// The refusal of the statement at bytes `start..<end` the guard denied, if it denied one.
    func refusal(by guard_: SQLiteSheetGuard, start: Int, end: Int?, index: Int) -> SheetViolation? {
        let s = statement(at: start)
        return guard_.violation(statementIndex: s?.index ?? index, start: start, end: end ?? s?.end ?? source.utf8.count, in: source)
    }

    /// Runs SQLite's own foreign key check (inside the task's transaction) and describes what it finds.
    static func foreignKeyProblems(_ conn: SQLiteConnection) throws -> String? {
        let rows = try conn.query("PRAGMA foreign_key_check")
        guard !rows.isEmpty else { return nil }
        let shown = rows.prefix(5).map { r in
            "\(r[0].text ?? "?") row \(r[1].integer.map(String.init) ?? "?") references \(r[2].text ?? "?") with no match"
        }
        return "PRAGMA foreign_key_check found \(rows.count) violation(s): " + shown.joined(separator: "; ") + (rows.count > 5 ? "; …" : "")
    }
}

/// A sheet statement the sheet policy refused.
struct SheetRefusal: Error, CustomStringConvertible {
    var violation: SheetViolation
    var description: String { "refused by the sheet policy: \(violation)" }
}

extension SQLiteConnection {
    /// Installs `guard_` as this connection's authorizer for the life of `body`.
    func guarded<T>(_ guard_: SQLiteSheetGuard, _ body: () throws -> T) rethrows -> T {
        guard_.isEnabled = true
        guard_.install(on: handle)
        defer { SQLiteSheetGuard.uninstall(from: handle); guard_.isEnabled = false }
        return try body()
    }
}

/// A value behind a lock, for small process-wide caches.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
