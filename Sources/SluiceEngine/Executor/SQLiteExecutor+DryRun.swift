import Foundation
import GRDBSQLite
import SluiceSQL

extension SQLiteExecutor {
    /// Runs the sheet inside a transaction that is always rolled back, under the same sheet policy
    /// as the task itself (a refused statement never runs; SQLite's authorizer guards the rest, and
    /// a statement that ends the transaction stops the dry run at once); a progress handler stops
    /// it past `timeLimit`. The target is left exactly as it was.
    public func dryRun(_ database: TargetDatabase, sql: String, timeLimit: Double, cancel: CancellationHandle) -> DryRunReport {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        let sheet = SQLiteSheet.ready(sql)
        if let v = sheet.violation { return .refusal(v, durationMs: elapsed()) }
        let conn: SQLiteConnection
        do { conn = try SQLiteConnection(path: database.location) } catch {
            return DryRunReport(outcome: .failed, statements: [], failure: nil, durationMs: elapsed(), note: "cannot open \(database.ref): \(error)")
        }
        // The progress handler enforces the cap on this thread; no timer has to wake up in time.
        let interrupter = conn.interrupter
        cancel.setHandler { interrupter.interrupt() }
        let watch = conn.watch(cancel, deadline: started + UInt64(Limits.saturatingMilliseconds(timeLimit)) * 1_000_000, memoryCap: dryRunMemoryCap)
        defer { cancel.setHandler(nil); conn.unwatch() }

        let lines = LineIndex(sql)
        let bytes = Array(sheet.runnable.utf8)
        let guard_ = SQLiteSheetGuard()
        var statements: [DryRunReport.Statement] = []
        var index = 0
        do {
            if sheet.rebuild != nil { try conn.execute("PRAGMA foreign_keys = OFF") }
            // The changes stay in this connection's memory (no spill to the file mid-transaction), so
            // the dry run never takes the exclusive lock that would block the target's readers; the
            // write lock it takes at its first write blocks other writers until the time limit at most.
            try conn.execute("PRAGMA cache_spill = OFF")
            try conn.execute("BEGIN DEFERRED")
            defer { if !conn.isAutocommit { try? conn.execute("ROLLBACK") } }
            try conn.guarded(guard_) {
                try conn.forEachStatement(sheet.runnable) { start, end, run in
                    if watch.shouldStop() { throw StatementFailure(error: SQLiteError(code: SQLITE_INTERRUPT, message: "interrupted"), start: start, end: end) }
                    let pos = lines.position(ofByteOffset: start)
                    index = sheet.statement(at: start)?.index ?? index
                    if SQLiteExecutor.isNonTransactional(String(decoding: bytes[start..<end].prefix(16), as: UTF8.self)) {
                        index += 1 // VACUUM cannot run in the rolled-back transaction: skipped, not failed
                        return
                    }
                    let before = conn.totalChanges
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    try run()
                    guard_.reset()
                    guard !conn.isAutocommit else {
                        // Never reached while the policy holds; if it ever is, nothing more may run.
                        throw SluiceError.failure("line \(pos.line), column \(pos.column): the statement ended the dry run's transaction; the dry run stopped")
                    }
                    statements.append(.init(index: index, line: pos.line, column: pos.column,
                                            durationMs: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6,
                                            affectedRows: conn.totalChanges - before))
                    index += 1
                }
            }
            if sheet.rebuild != nil, let problems = try SQLiteSheet.foreignKeyProblems(conn) {
                let last = sheet.statements.last
                return DryRunReport(outcome: .failed, statements: statements,
                                    failure: .init(statementIndex: last?.index ?? 0, line: last?.line ?? 1, column: last?.column ?? 1, message: problems),
                                    durationMs: elapsed())
            }
            return DryRunReport(outcome: .success, statements: statements, failure: nil, durationMs: elapsed())
        } catch let failure as StatementFailure {
            if let v = sheet.refusal(by: guard_, start: failure.start, end: failure.end, index: index) {
                return .refusal(v, statements: statements, durationMs: elapsed())
            }
            if failure.error.isInterrupt {
                let outcome: DryRunReport.Outcome = watch.timedOut || watch.overMemory ? .timedOut : .canceled
                let note = watch.timedOut ? String(format: "stopped after the %g s time limit; rolled back", timeLimit)
                    : watch.overMemory ? "stopped when its changes filled \(dryRunMemoryCap >> 20) MB of memory (a dry run never writes them to the target's file, "
                        + "where they would block its readers); rolled back"
                    : "canceled; rolled back"
                return DryRunReport(outcome: outcome, statements: statements, failure: nil, durationMs: elapsed(), note: note)
            }
            let pos = lines.position(ofByteOffset: failure.error.offset ?? failure.start)
            return DryRunReport(outcome: .failed, statements: statements,
                                failure: .init(statementIndex: index, line: pos.line, column: pos.column, message: failure.error.message),
                                durationMs: elapsed())
        } catch {
            return DryRunReport(outcome: .failed, statements: statements, failure: nil, durationMs: elapsed(), note: "\(error)")
        }
    }

    /// Exact `count(*)` of each existing table (SQLite keeps no statistics worth trusting).
    public func tableRowCounts(_ database: TargetDatabase, tables: [String]) throws -> [String: RowCount] {
        let conn = try SQLiteConnection(path: database.location)
        var counts: [String: RowCount] = [:]
        for table in Set(tables) {
            let exists = try conn.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", [.text(table)])
            guard !exists.isEmpty else { continue }
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            if let n = try conn.query("SELECT count(*) FROM \(quoted)").first?.first?.integer {
                counts[table] = RowCount(rows: n, exact: true)
            }
        }
        return counts
    }
}

extension SQLiteExecutor {
    /// SQLite has no row estimates; the dry run reports exact counts instead.
    public func estimateAffectedRows(_ database: TargetDatabase, statement: String) throws -> Int64? { nil }
}

/// A flag set from one thread and read from another.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}
