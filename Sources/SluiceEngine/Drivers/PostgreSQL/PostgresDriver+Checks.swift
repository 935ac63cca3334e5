import Foundation
import SluiceSQL

extension PostgresDriver {
    /// Runs the sheet inside a transaction that is always rolled back (PostgreSQL DDL included),
    /// connected as the instance's check role, so unapproved SQL runs with that role's privileges
    /// only; past `timeLimit` a timer cancels the running statement. Statements PostgreSQL refuses
    /// in a transaction are skipped, not failed. Without a check role the sheet never runs: its
    /// data changes are planned with EXPLAIN, which reads no data. Error messages keep no quoted
    /// value the sheet does not itself contain, and no DETAIL (where rows would show).
    public func dryRun(_ database: TargetDatabase, sql: String, timeLimit: Double, cancel: CancellationHandle) -> DryRunReport {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        let statements: [SQLStatement]
        do { statements = try StatementSplitter.split(sql, dialect: .postgres) } catch {
            return DryRunReport(outcome: .failed, statements: [], failure: nil, durationMs: elapsed(), note: "\(error)")
        }
        if let v = PostgresSheetPolicy.violations(in: sql).first { return .refusal(v, durationMs: elapsed()) }
        let lines = LineIndex(sql)
        let checker: PostgresTarget
        do {
            let target = try Self.target(database)
            guard let c = target.asChecker else {
                return explainOnly(target, statements: statements, sql: sql, lines: lines, timeLimit: timeLimit, started: started)
            }
            checker = c
        } catch {
            return DryRunReport(outcome: .failed, statements: [], failure: nil, durationMs: elapsed(), note: "\(error)")
        }
        var done: [DryRunReport.Statement] = []
        let timedOut = LockedFlag()
        do {
            var report = try Self.withConnection(to: checker) { conn in
                let canceller = conn.canceller()
                let timer = DispatchSource.makeTimerSource(queue: .global())
                timer.schedule(deadline: .now() + .milliseconds(Limits.saturatingMilliseconds(timeLimit)))
                timer.setEventHandler { timedOut.set(); cancel.cancel() }
                cancel.setHandler { canceller?.fire() }
                timer.resume()
                defer { timer.cancel(); cancel.setHandler(nil) }
                conn.dirty = true
                // The server enforces the cap too, in case the timer thread is starved on a busy machine.
                let capMs = Limits.saturatingMilliseconds(timeLimit)
                try conn.execute("BEGIN; SET LOCAL lock_timeout = \(min(PostgresTarget.defaultLockTimeoutMs, capMs)); SET LOCAL statement_timeout = \(capMs)")
                defer { if conn.isHealthy, !conn.isIdle { _ = try? conn.execute("ROLLBACK") } }
                for s in statements {
                    if case .outsideTransaction = PostgresTransactionRules.requirement(of: s.text, serverVersion: conn.serverVersion) { continue }
                    if cancel.isCanceled { throw PostgresError(message: "canceled", sqlState: "57014") }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    do {
                        let r = try conn.execute(s.text)
                        done.append(.init(index: s.index, line: s.line, column: s.column,
                                          durationMs: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6,
                                          affectedRows: Int64(r.affectedRows ?? 0)))
                    } catch let e as PostgresError where e.isQueryCanceled && !cancel.isCanceled && elapsed() >= Double(capMs) * 0.9 {
                        timedOut.set() // the server's statement_timeout fired before our timer
                        cancel.cancel()
                        throw e
                    } catch let e as PostgresError where !(e.isQueryCanceled && cancel.isCanceled) {
                        let pos = Self.position(of: e, in: s, lines: lines)
                        return DryRunReport(outcome: .failed, statements: done,
                                            failure: .init(statementIndex: s.index, line: pos.line, column: pos.column,
                                                           message: Self.scrubbed(e, sheet: sql)),
                                            durationMs: elapsed())
                    }
                }
                return DryRunReport(outcome: .success, statements: done, failure: nil, durationMs: elapsed())
            }
            report.ranAs = checker.loginUser
            return report
        } catch let e as PostgresError where e.isQueryCanceled && cancel.isCanceled {
            let outcome: DryRunReport.Outcome = timedOut.value ? .timedOut : .canceled
            let note = timedOut.value ? String(format: "stopped after the %.0f s time cap; rolled back", timeLimit) : "canceled; rolled back"
            return DryRunReport(outcome: outcome, statements: done, failure: nil, durationMs: elapsed(), note: note)
        } catch let e as PostgresError {
            return DryRunReport(outcome: .failed, statements: done, failure: nil, durationMs: elapsed(),
                                note: "as check role \(checker.loginUser ?? "?"): \(Self.scrubbed(e, sheet: sql))")
        } catch {
            return DryRunReport(outcome: .failed, statements: done, failure: nil, durationMs: elapsed(), note: "\(error)")
        }
    }

    /// The dry run without a check role: nothing of the sheet runs. Its data changes are planned
    /// (EXPLAIN without ANALYZE, in a transaction rolled back) until its first schema change, after
    /// which later statements may name what that change would have made; the rest are parsed only.
    private func explainOnly(_ target: PostgresTarget, statements: [SQLStatement], sql: String, lines: LineIndex, timeLimit: Double,
                             started: UInt64) -> DryRunReport {
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        var report: DryRunReport
        do {
            report = try Self.withConnection(to: target) { conn in
                conn.dirty = true
                let capMs = Limits.saturatingMilliseconds(timeLimit)
                try conn.execute("BEGIN; SET LOCAL lock_timeout = \(min(PostgresTarget.defaultLockTimeoutMs, capMs)); SET LOCAL statement_timeout = \(capMs)")
                defer { if conn.isHealthy, !conn.isIdle { _ = try? conn.execute("ROLLBACK") } }
                for s in statements {
                    guard PostgresStatementKind.isDataStatement(s.text) else { break }
                    do {
                        try conn.execute("EXPLAIN " + s.text, single: true)
                    } catch var e as PostgresError {
                        e.position = e.position.map { $0 - "EXPLAIN ".count } // the server counts from the EXPLAIN
                        let pos = Self.position(of: e, in: s, lines: lines)
                        return DryRunReport(outcome: .failed, statements: [],
                                            failure: .init(statementIndex: s.index, line: pos.line, column: pos.column,
                                                           message: Self.scrubbed(e, sheet: sql)),
                                            durationMs: elapsed())
                    }
                }
                return DryRunReport(outcome: .success, statements: [], failure: nil, durationMs: elapsed())
            }
        } catch let e as PostgresError {
            report = DryRunReport(outcome: .failed, statements: [], failure: nil, durationMs: elapsed(), note: Self.scrubbed(e, sheet: sql))
        } catch {
            report = DryRunReport(outcome: .failed, statements: [], failure: nil, durationMs: elapsed(), note: "\(error)")
        }
        report.mode = .explainOnly
        return report
    }

    /// A server error as a member may see it: the primary message only (a DETAIL can hold rows),
    /// and every quoted value in it that the sheet does not itself contain replaced by `"…"`
    /// (`invalid input syntax for type integer: "<a password hash>"`).
    static func scrubbed(_ e: PostgresError, sheet: String) -> String {
        var out = ""
        var rest = Substring(e.message)
        while let open = rest.firstIndex(of: "\"") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "\"") else { out += rest[open...]; rest = ""; break }
            let quoted = rest[afterOpen..<close]
            out += sheet.contains(quoted) ? "\"\(quoted)\"" : "\"…\""
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Tables up to this many pages (8 kB each, so 8 MB) are counted exactly; larger ones come
    /// from the planner's statistics (`reltuples`), unless never analysed.
    static let exactCountPages = 1024

    public func tableRowCounts(_ database: TargetDatabase, tables: [String]) throws -> [String: RowCount] {
        try Self.withConnection(database) { conn in
            var counts: [String: RowCount] = [:]
            for table in Set(tables) {
                guard let row = try conn.execute("""
                    SELECT c.oid::regclass::text, c.reltuples::bigint, c.relpages FROM pg_class c
                    WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'm')
                    """, [table]).rows.first, let qualified = row[0] else { continue }
                let estimate = row[1].flatMap { Int64($0) } ?? -1, pages = row[2].flatMap { Int($0) } ?? 0
                if estimate >= 0 && pages > Self.exactCountPages {
                    counts[table] = RowCount(rows: estimate, exact: false)
                } else if let n = try conn.execute("SELECT count(*) FROM \(qualified)").rows.first?.first.flatMap({ $0.flatMap { Int64($0) } }) {
                    counts[table] = RowCount(rows: n, exact: true)
                }
            }
            return counts
        }
    }

    /// The planner's estimate from `EXPLAIN (FORMAT JSON)`: for UPDATE/DELETE/INSERT … SELECT the
    /// top node (ModifyTable) reports 0, so the estimate is its child scan's `Plan Rows`.
    /// nil for statements EXPLAIN does not take (DDL) or that do not plan yet (a table the sheet creates).
    public func estimateAffectedRows(_ database: TargetDatabase, statement: String) throws -> Int64? {
        try Self.withConnection(database) { conn in
            guard let json = try? conn.execute("EXPLAIN (FORMAT JSON) " + statement, single: true).rows.first?.first ?? nil,
                  let data = json.data(using: .utf8),
                  let plans = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]],
                  let plan = plans.first?["Plan"] as? [String: Any] else { return nil }
            func rows(_ p: [String: Any]) -> Int64? { (p["Plan Rows"] as? NSNumber)?.int64Value }
            if plan["Node Type"] as? String == "ModifyTable", let child = (plan["Plans"] as? [[String: Any]])?.first { return rows(child) }
            return rows(plan)
        }
    }
}
