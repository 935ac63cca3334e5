import Foundation
import SluiceSQL

/// Everything the engine does inside a target database, per engine. The scheduler, history,
/// drift, baseline and plan checks go through this and never name an engine themselves.
public protocol TargetDriver: Sendable {
    /// Applies one task run: statements, then the history row, in one transaction where possible.
    func execute(_ job: TaskJob, sink: any TaskRunSink, cancel: CancellationHandle) -> ExecutionOutcome
    /// The target's `sluice_migration_history`, oldest first (empty when it has none yet).
    func history(_ database: TargetDatabase) throws -> [MigrationRecord]
    /// The normalised schema dump of the live database.
    func liveSchema(_ database: TargetDatabase) throws -> String
    /// Settles a task run whose runner stopped (crash reconciliation): fences it out of the target,
    /// so it can never commit there afterwards, and returns its history row if it committed before.
    /// Throws ``FenceBusy`` when the target's lock cannot be had within `waitMs`.
    func fence(_ database: TargetDatabase, workspace: String, task: Int64, run: Int64, seal: HistorySeal, waitMs: Int) throws -> MigrationRecord?
    /// Records the live schema as `version` without running anything.
    func baseline(_ database: TargetDatabase, version: String, workspace: String, by actor: String, seal: HistorySeal) throws -> MigrationRecord
    /// Runs `sql` for real inside a transaction that is always rolled back. Gives up (outcome
    /// `.timedOut`) after `timeLimit` seconds.
    func dryRun(_ database: TargetDatabase, sql: String, timeLimit: Double, cancel: CancellationHandle) -> DryRunReport
    /// Row counts of the named tables (exact or from statistics, as `RowCount.exact` says).
    /// Tables that do not exist are left out.
    func tableRowCounts(_ database: TargetDatabase, tables: [String]) throws -> [String: RowCount]
    /// The planner's estimate of the rows one DML statement would change (PostgreSQL
    /// `EXPLAIN (FORMAT JSON)`); nil when the engine gives none (SQLite: the dry run counts exactly).
    func estimateAffectedRows(_ database: TargetDatabase, statement: String) throws -> Int64?
    /// The server's sessions on the database (PostgreSQL `pg_stat_activity`); none for SQLite.
    func sessions(_ database: TargetDatabase) throws -> [DatabaseSession]
}

extension TargetDriver {
    public func sessions(_ database: TargetDatabase) throws -> [DatabaseSession] { [] }
}

/// A table's size as the target reports it.
public struct RowCount: Sendable, Codable, Equatable {
    public var rows: Int64
    /// False when the figure is the planner's estimate (PostgreSQL statistics on a large table).
    public var exact: Bool
    public init(rows: Int64, exact: Bool) { self.rows = rows; self.exact = exact }
}

/// What a dry run found: every statement that ran, and the first failure with its position.
public struct DryRunReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case success = "SUCCESS", failed = "FAILED", timedOut = "TIMED_OUT", canceled = "CANCELED"
        /// The sheet policy refused a statement; it did not run (`failure` says which, where and why).
        case refused = "REFUSED"
    }

    public struct Statement: Sendable, Codable, Equatable {
        public var index: Int
        public var line: Int
        public var column: Int
        public var durationMs: Double
        /// Rows the statement changed (exact: it really ran, then was rolled back).
        public var affectedRows: Int64
        public init(index: Int, line: Int, column: Int, durationMs: Double, affectedRows: Int64) {
            self.index = index; self.line = line; self.column = column; self.durationMs = durationMs; self.affectedRows = affectedRows
        }
    }

    public struct Failure: Sendable, Codable, Equatable {
        /// Zero-based index of the failing statement in the sheet.
        public var statementIndex: Int
        public var line: Int
        public var column: Int
        public var message: String
        public init(statementIndex: Int, line: Int, column: Int, message: String) {
            self.statementIndex = statementIndex; self.line = line; self.column = column; self.message = message
        }
    }

    public var outcome: Outcome
    public var statements: [Statement]
    public var failure: Failure?
    public var durationMs: Double
    /// Why the dry run did not finish (timeout, cannot connect), when it did not.
    public var note: String?
    /// How far the dry run went: the sheet run and rolled back, or (PostgreSQL without a check
    /// role) only its data changes planned with EXPLAIN, which reads no data.
    public var mode: Mode = .full
    /// The role the sheet ran as, when not the instance's own (PostgreSQL check role).
    public var ranAs: String?

    public enum Mode: String, Sendable, Codable { case full = "FULL", explainOnly = "EXPLAIN_ONLY" }

    public init(outcome: Outcome, statements: [Statement], failure: Failure?, durationMs: Double, note: String? = nil) {
        self.outcome = outcome; self.statements = statements; self.failure = failure; self.durationMs = durationMs; self.note = note
    }

    /// A dry run the sheet policy stopped at `violation`.
    static func refusal(_ violation: SheetViolation, statements: [Statement] = [], durationMs: Double) -> DryRunReport {
        DryRunReport(outcome: .refused, statements: statements,
                     failure: .init(statementIndex: violation.statementIndex, line: violation.line, column: violation.column,
                                    message: violation.description),
                     durationMs: durationMs)
    }
}

/// The driver for each engine this build supports.
public enum TargetDrivers {
    /// Closes the idle pooled server connections this process holds (PostgreSQL); the next
    /// task connects afresh.
    public static func closeIdleConnections() { PostgresConnectionPool.closeIdle() }

    public static func driver(for engine: DatabaseEngine) -> any TargetDriver {
        switch engine {
        case .sqlite: return SQLiteExecutor()
        case .postgres: return PostgresDriver()
        }
    }
}
