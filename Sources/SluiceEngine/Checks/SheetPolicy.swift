import Foundation
import SluiceSQL

/// The statements a sheet may not contain on an engine, found without running anything: the
/// first gate of plan checks, of the dry run and of every task. (SQLite's authorizer and the
/// checks around each task's transaction hold the line for what text alone cannot show.)
enum SheetPolicy {
    static func violations(in sql: String, engine: DatabaseEngine) -> [SheetViolation] {
        switch engine {
        case .sqlite: return SQLiteSheet.ready(sql).violations
        case .postgres: return PostgresSheetPolicy.violations(in: sql)
        }
    }

    /// What stops a task before it connects, on every engine: a sheet whose text is not the one
    /// reviewed (its SHA-256), or one the policy refuses. A baseline runs no SQL and is not refused.
    static func refusalBeforeRunning(_ job: TaskJob) -> String? {
        if PasswordHasher.sha256Hex(job.sql) != job.sheetSHA256 {
            return "the sheet's text does not match the SHA-256 that was reviewed (\(job.sheetSHA256.prefix(12))…): nothing was run"
        }
        guard job.type != .baseline, let v = violations(in: job.sql, engine: job.database.engine).first else { return nil }
        return "refused by the sheet policy: \(v); nothing was applied"
    }

    /// Statements whose effects the policy cannot read from their text (PostgreSQL `DO` blocks and
    /// function bodies): what they run is guarded at run time only where Sluice's own tables are
    /// concerned, so a reviewer must read them.
    static func opaque(in sql: String, engine: DatabaseEngine) -> [SQLStatement] {
        guard engine == .postgres, let statements = try? StatementSplitter.split(sql, dialect: .postgres) else { return [] }
        return statements.filter { PostgresStatementKind.carriesOpaqueCode($0.text) }
    }
}
