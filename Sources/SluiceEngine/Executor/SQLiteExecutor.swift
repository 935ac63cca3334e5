import Foundation
import GRDBSQLite
import SluiceSQL

/// Applies task runs to SQLite targets statement by statement, the change and its history row in
/// one transaction (DESIGN §4).
public struct SQLiteExecutor: TargetDriver {
    /// The most a dry run's uncommitted changes may hold in memory before it stops.
    let dryRunMemoryCap: Int64

    public init() { dryRunMemoryCap = 256 << 20 }
    init(dryRunMemoryCap: Int64) { self.dryRunMemoryCap = dryRunMemoryCap }

    /// Statements SQLite refuses to run inside a transaction.
    static func isNonTransactional(_ statementText: String) -> Bool {
        let head = statementText.prefix(16).uppercased()
        return head.hasPrefix("VACUUM")
    }

    public func execute(_ job: TaskJob, sink: any TaskRunSink, cancel: CancellationHandle) -> ExecutionOutcome {
        let started = Date()
        let conn: SQLiteConnection
        do {
            conn = try SQLiteConnection(path: job.database.location)
        } catch {
            sink.info("cannot open \(job.database.ref): \(error)")
            return .failed("cannot open \(job.database.ref): \(error)")
        }
        let interrupter = conn.interrupter
        cancel.setHandler { interrupter.interrupt() }
        conn.watch(cancel)
        defer { cancel.setHandler(nil); conn.unwatch() }
        if cancel.isCanceled { return .canceled("canceled before it started") }

        let lines = LineIndex(job.sql)
        let sheet = SQLiteSheet.ready(job.sql)
        if let refused = SheetPolicy.refusalBeforeRunning(job) {
            sink.info(refused)
            return .failed(refused)
        }
        let nonTransactional = job.type != .baseline && sheet.statements.contains { SQLiteExecutor.isNonTransactional($0.text) }
        do {
            if nonTransactional {
                sink.markNonTransactional()
                sink.info("the sheet holds a statement that cannot run in a transaction: running statement by statement outside one")
            } else {
                if sheet.rebuild != nil, job.type != .baseline {
                    // SQLite's table-rebuild form: foreign keys off for this task's connection, around its transaction.
                    try conn.execute("PRAGMA foreign_keys = OFF")
                }
                try conn.execute("BEGIN IMMEDIATE")
            }
            try MigrationHistory.prepare(conn, workspace: job.workspaceId, seal: job.seal)
            // The fence: once another runner settled this attempt (its lease had passed), it may never commit.
            if try MigrationHistory.isFenced(conn, workspace: job.workspaceId, taskRun: job.runId) {
                if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
                return .fenced("this attempt's lease had passed and another runner settled it; nothing was applied by it")
            }
            switch try TaskHistoryCheck.check(try MigrationHistory.fetchAll(
                conn, where: "status = 'DONE' AND ((workspace = ? AND taskId = ?) OR version = ?)",
                [.text(job.workspaceId), .integer(job.taskId), job.schemaVersion.map(SQLiteValue.text) ?? .null]), job: job, sink: sink) {
            case .alreadyApplied(let message):
                if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
                return .done(message)
            case .versionTaken(let message):
                if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
                sink.info(message)
                return .failed(message)
            case .proceed(let untrusted):
                for r in untrusted {
                    try conn.query("UPDATE \(MigrationHistory.table) SET status = 'TAMPERED' WHERE id = ?", [.integer(r.id)])
                }
            }
            let fingerprint = try MigrationHistory.fingerprint(conn)
            let before = try SchemaSnapshot.dump(conn)
            if job.type != .baseline {
                try runStatements(job, sheet: sheet, conn: conn, lines: lines, sink: sink, cancel: cancel, transactional: !nonTransactional)
                if sheet.rebuild != nil, let problems = try SQLiteSheet.foreignKeyProblems(conn) {
                    throw SluiceError.failure(problems + "; the table rebuild is rolled back")
                }
            } else {
                sink.info("BASELINE: recording the live schema without running SQL")
            }
            guard try MigrationHistory.fingerprint(conn) == fingerprint else {
                throw SluiceError.failure(TaskHistoryCheck.reachedHistory)
            }
            let after = try SchemaSnapshot.dump(conn)
            let duration = Date().timeIntervalSince(started) * 1000
            try MigrationHistory.insert(conn, MigrationRecord(
                id: 0, version: job.schemaVersion, type: job.type.rawValue, status: "DONE", statement: job.sql,
                checksum: job.sheetSHA256, schemaBefore: before, schemaAfter: after, durationMs: duration,
                issueId: job.issueId, taskId: job.taskId, taskRunId: job.runId, workspace: job.workspaceId,
                appliedBy: job.createdBy, appliedAt: MigrationHistory.timestamp()), seal: job.seal)
            if !conn.isAutocommit { try conn.execute("COMMIT") }
            sink.info("committed: change and history row recorded in \(job.database.ref)")
            return .done(String(format: "applied in %.1f ms", duration))
        } catch let refusal as SheetRefusal {
            if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
            let rolled = nonTransactional ? "earlier statements stay applied (no transaction)" : "nothing was applied"
            return .failed("\(refusal); \(rolled)")
        } catch let failure as StatementFailure {
            if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
            if failure.error.isInterrupt || cancel.isCanceled {
                sink.info("interrupted: rolled back")
                return .canceled("canceled while running; rolled back")
            }
            let pos = lines.position(ofByteOffset: failure.error.offset ?? failure.start)
            let rolled = nonTransactional ? "earlier statements stay applied (no transaction)" : "rolled back"
            return .failed("line \(pos.line), column \(pos.column): \(failure.error.message); \(rolled)")
        } catch {
            if !conn.isAutocommit { try? conn.execute("ROLLBACK") }
            if let e = error as? SQLiteError, e.isInterrupt || cancel.isCanceled { return .canceled("canceled while running; rolled back") }
            sink.info("error: \(error)")
            return .failed("\(error)")
        }
    }

    /// Runs the sheet's statements with the policy's guard as SQLite's authorizer; the rebuild
    /// form's framing statements are logged as Sluice's own and not run.
    private func runStatements(_ job: TaskJob, sheet: SQLiteSheet, conn: SQLiteConnection, lines: LineIndex, sink: any TaskRunSink,
                               cancel: CancellationHandle, transactional: Bool) throws {
        for s in sheet.framing {
            sink.log(kind: "INFO", statementIndex: s.index, line: s.line, column: s.column, durationMs: nil, affectedRows: nil, sql: s.text,
                     message: "table-rebuild form: run by Sluice around its own transaction (foreign keys off, foreign_key_check before the commit)")
        }
        let utf8 = Array(sheet.runnable.utf8)
        let guard_ = SQLiteSheetGuard()
        var index = 0
        do {
            try conn.guarded(guard_) {
                try conn.forEachStatement(sheet.runnable) { start, end, run in
                    if cancel.isCanceled { throw StatementFailure(error: SQLiteError(code: SQLITE_INTERRUPT, message: "interrupted"), start: start, end: end) }
                    let text = String(decoding: utf8[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    let statementIndex = sheet.statement(at: start)?.index ?? index
                    let pos = lines.position(ofByteOffset: start)
                    let before = conn.totalChanges
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    // A plain VACUUM attaches a temporary database of its own while it steps: SQLite's, not
                    // the sheet's (VACUUM INTO was refused before anything ran).
                    guard_.isEnabled = !SQLiteExecutor.isNonTransactional(text)
                    do {
                        try run()
                    } catch let failure as StatementFailure where guard_.denial == nil {
                        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                        let errPos = lines.position(ofByteOffset: failure.error.offset ?? start)
                        sink.log(kind: failure.error.isInterrupt ? "CANCELED" : "ERROR", statementIndex: statementIndex, line: errPos.line,
                                 column: errPos.column, durationMs: ms, affectedRows: nil, sql: text, message: failure.error.message)
                        throw failure
                    }
                    guard_.isEnabled = true
                    guard_.reset()
                    if transactional && conn.isAutocommit {
                        throw SluiceError.failure("line \(pos.line), column \(pos.column): the statement ended Sluice's transaction; nothing after it ran")
                    }
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                    sink.log(kind: "STATEMENT", statementIndex: statementIndex, line: pos.line, column: pos.column, durationMs: ms,
                             affectedRows: Int(conn.totalChanges - before), sql: text, message: nil)
                    index += 1
                }
            }
        } catch let failure as StatementFailure {
            // A denial, at prepare or while stepping, is the policy's refusal with its position.
            guard let v = sheet.refusal(by: guard_, start: failure.start, end: failure.end, index: index) else { throw failure }
            sink.log(kind: "ERROR", statementIndex: v.statementIndex, line: v.line, column: v.column, durationMs: nil, affectedRows: nil,
                     sql: sheet.statement(at: failure.start)?.text, message: "refused by the sheet policy: \(v)")
            throw SheetRefusal(violation: v)
        }
    }

    // MARK: History, drift, baseline, reconciliation

    public func history(_ database: TargetDatabase) throws -> [MigrationRecord] {
        let conn = try SQLiteConnection(path: database.location)
        return try MigrationHistory.fetchAll(conn)
    }

    public func liveSchema(_ database: TargetDatabase) throws -> String {
        try SchemaSnapshot.dump(SQLiteConnection(path: database.location))
    }

    /// Fences a task run out of the target (it can never commit there afterwards) and returns
    /// its record if it committed before. Waits at most `waitMs` for the write lock, which a
    /// stalled runner still in its transaction holds: then throws ``FenceBusy``.
    public func fence(_ database: TargetDatabase, workspace: String, task: Int64, run: Int64, seal: HistorySeal, waitMs: Int) throws -> MigrationRecord? {
        let conn = try SQLiteConnection(path: database.location, busyTimeoutMs: Int32(waitMs))
        do { try conn.execute("BEGIN IMMEDIATE") } catch let e as SQLiteError where e.code & 0xff == SQLITE_BUSY || e.code & 0xff == SQLITE_LOCKED {
            throw FenceBusy(database: database.ref.description)
        }
        do {
            try MigrationHistory.prepare(conn, workspace: workspace, seal: seal)
            try MigrationHistory.fence(conn, workspace: workspace, taskRun: run)
            let record = try MigrationHistory.record(conn, workspace: workspace, taskRun: run)
            try conn.execute("COMMIT")
            return record
        } catch {
            try? conn.execute("ROLLBACK")
            throw error
        }
    }

    /// Accepts the live schema as version `version` without running anything.
    public func baseline(_ database: TargetDatabase, version: String, workspace: String, by actor: String, seal: HistorySeal) throws -> MigrationRecord {
        let conn = try SQLiteConnection(path: database.location)
        try conn.execute("BEGIN IMMEDIATE")
        do {
            try MigrationHistory.prepare(conn, workspace: workspace, seal: seal)
            if let prior = try MigrationHistory.fetchAll(conn, where: "version = ? AND status = 'DONE' AND workspace = ?", [.text(version), .text(workspace)])
                .first(where: { seal.integrity(of: $0, workspace: workspace) == .verified }) {
                throw SluiceError.precondition("version \(version) is already recorded on \(database.ref) (history #\(prior.id))",
                                               hint: "Pick a new version for the baseline.")
            }
            let schema = try SchemaSnapshot.dump(conn)
            try MigrationHistory.insert(conn, MigrationRecord(
                id: 0, version: version, type: SpecType.baseline.rawValue, status: "DONE", statement: "", checksum: PasswordHasher.sha256Hex(""),
                schemaBefore: schema, schemaAfter: schema, durationMs: 0, issueId: nil, taskId: nil, taskRunId: nil,
                workspace: workspace, appliedBy: actor, appliedAt: MigrationHistory.timestamp()), seal: seal)
            try conn.execute("COMMIT")
            return try MigrationHistory.fetchAll(conn).last ?? { throw SluiceError.failure("baseline not recorded") }()
        } catch {
            try? conn.execute("ROLLBACK")
            throw error
        }
    }
}
