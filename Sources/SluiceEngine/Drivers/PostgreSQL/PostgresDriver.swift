import Foundation
import SluiceSQL

/// Applies task runs to PostgreSQL targets through libpq, with the same guarantees as the SQLite
/// executor (DESIGN §4): statement by statement with a per-statement log, the change and its
/// history row in one transaction, statements PostgreSQL refuses in a transaction run outside
/// one, `lock_timeout`/`statement_timeout` set per task, cancel through `PQcancel`.
public struct PostgresDriver: TargetDriver {
    public init() {}

    static func target(_ database: TargetDatabase) throws -> PostgresTarget {
        guard let t = database.postgres else {
            throw SluiceError.failure("\(database.ref) has no PostgreSQL connection settings", hint: "Run `sluice instance sync \(database.instance)`.")
        }
        return t
    }

    /// Runs `body` on a pooled connection to `database`; a connection that failed is not reused.
    static func withConnection<T>(_ database: TargetDatabase, _ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection(to: try target(database), body)
    }

    /// ``withConnection(_:_:)`` to a target as given (say, reached as its check role).
    static func withConnection<T>(to target: PostgresTarget, _ body: (PostgresConnection) throws -> T) throws -> T {
        let pool = PostgresConnectionPool.pool(for: target)
        let conn = try pool.acquire(target)
        do {
            let value = try body(conn)
            pool.release(conn, database: target.database)
            return value
        } catch {
            if !conn.isIdle, conn.isHealthy { _ = try? conn.execute("ROLLBACK") }
            pool.release(conn, database: target.database, reusable: !((error as? PostgresError)?.connectionLost ?? false))
            throw error
        }
    }

    public func execute(_ job: TaskJob, sink: any TaskRunSink, cancel: CancellationHandle) -> ExecutionOutcome {
        let started = Date()
        var mark = PhaseTimings.now()
        func lap(_ phase: String) {
            PhaseTimings.record("pg." + phase, since: mark)
            mark = PhaseTimings.now()
        }
        let ref = job.database.ref
        let statements: [SQLStatement]
        do { statements = try StatementSplitter.split(job.sql, dialect: .postgres) } catch {
            return .failed("the sheet cannot be split into statements: \(error)")
        }
        if let refused = SheetPolicy.refusalBeforeRunning(job) {
            sink.info(refused)
            return .failed(refused)
        }
        let target: PostgresTarget
        let pool: PostgresConnectionPool
        let conn: PostgresConnection
        do {
            target = try Self.target(job.database)
            pool = PostgresConnectionPool.pool(for: target)
            conn = try pool.acquire(target)
            lap("1 connect")
        } catch {
            sink.info("cannot connect to \(ref): \(error)")
            return .failed("cannot connect to \(ref): \(error)")
        }
        var reusable = true
        defer {
            pool.release(conn, database: target.database, reusable: reusable)
            lap("9 release")
        }
        conn.onNotice { severity, message in
            sink.log(kind: "NOTICE", statementIndex: nil, line: nil, column: nil, durationMs: nil, affectedRows: nil, sql: nil,
                     message: "\(severity): \(message)")
        }
        let canceller = conn.canceller()
        cancel.setHandler { canceller?.fire() }
        defer { cancel.setHandler(nil) }
        if cancel.isCanceled { return .canceled("canceled before it started") }

        let requirements = statements.map { PostgresTransactionRules.requirement(of: $0.text, serverVersion: conn.serverVersion) }
        let lines = LineIndex(job.sql)
        let outside = zip(statements, requirements).compactMap { s, r -> String? in
            if case .outsideTransaction(let what) = r { return "\(what) (line \(s.line))" }
            return nil
        }
        let nonTransactional = !outside.isEmpty
        do {
            conn.dirty = true
            if nonTransactional {
                sink.markNonTransactional()
                sink.info("\(outside.joined(separator: ", ")) cannot run in a transaction: running statement by statement outside one")
            }
            // Round trip 1: the task's timeouts and session name (a fence finds a stalled run by it), its
            // transaction, the task's advisory lock (a fence takes it too, so one of them sees the other's
            // work), whether the history tables are current.
            let key = PostgresMigrationHistory.lockKey(workspace: job.workspaceId, task: job.taskId)
            let setup = try conn.executeBatch("SET lock_timeout = \(target.lockTimeoutMs); SET statement_timeout = \(target.statementTimeoutMs);"
                + " SET application_name = \(try conn.literal(Self.sessionName(workspace: job.workspaceId, run: job.runId)));"
                + (nonTransactional ? " " : " BEGIN; ") + "SELECT pg_advisory_xact_lock(\(key)); " + PostgresMigrationHistory.currentSQL)
            if setup.last?.rows.first?.first != "t" {
                try PostgresMigrationHistory.prepare(conn, workspace: job.workspaceId, seal: job.seal)
            }
            lap("2 setup")
            // Round trip 2: the fence, this task's and this version's earlier records, the fingerprint of
            // Sluice's tables, and the schema before.
            let snapshot = PostgresSchemaSnapshot.batch(conn)
            let ws = try conn.literal(job.workspaceId)
            let results = try conn.executeBatch(
                "SELECT EXISTS (SELECT 1 FROM \(PostgresMigrationHistory.fenceTable) WHERE workspace = \(ws) AND task_run_id = \(job.runId));\n"
                + (try PostgresMigrationHistory.priorSQL(conn, workspace: job.workspaceId, task: job.taskId, version: job.schemaVersion)) + ";\n"
                + PostgresMigrationHistory.fingerprintSQL + ";\n" + snapshot.sql)
            if results[0].rows.first?.first == "t" {
                if !conn.isIdle { try conn.execute("ROLLBACK") }
                return .fenced("this attempt's lease had passed and another runner settled it; nothing was applied by it")
            }
            var marked = false
            switch TaskHistoryCheck.check(PostgresMigrationHistory.records(results[1].rows), job: job, sink: sink) {
            case .alreadyApplied(let message):
                if !conn.isIdle { try conn.execute("ROLLBACK") }
                return .done(message)
            case .versionTaken(let message):
                if !conn.isIdle { try conn.execute("ROLLBACK") }
                sink.info(message)
                return .failed(message)
            case .proceed(let untrusted):
                for r in untrusted {
                    _ = try conn.executeBatch(PostgresMigrationHistory.writing("UPDATE \(PostgresMigrationHistory.table) SET status = 'TAMPERED' WHERE id = \(r.id)"))
                    marked = true
                }
            }
            let fingerprint = marked ? try conn.execute(PostgresMigrationHistory.fingerprintSQL).rows.first?.first ?? nil
                                     : results[2].rows.first?.first ?? nil
            let before = try PostgresSchemaSnapshot.text(from: results, of: snapshot, conn)
            lap("3 history check + snapshot before")
            if job.type != .baseline {
                try runStatements(statements, sql: job.sql, lines: lines, conn: conn, sink: sink, cancel: cancel)
            } else {
                sink.info("BASELINE: recording the live schema without running SQL")
            }
            lap("5 statements")
            // Deferred triggers fire now, not at COMMIT after the check; Sluice's own statements resolve
            // names in pg_catalog first whatever search_path the sheet set.
            let check = try conn.executeBatch("SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL search_path = pg_catalog, public, pg_temp; "
                + PostgresMigrationHistory.fingerprintSQL)
            guard check.last?.rows.first?.first ?? nil == fingerprint else {
                throw SluiceError.failure(TaskHistoryCheck.reachedHistory)
            }
            let after = try PostgresSchemaSnapshot.dump(conn, prepare: !PostgresSchemaSnapshot.mayDeallocate(job.sql))
            lap("6 snapshot after")
            let duration = Date().timeIntervalSince(started) * 1000
            let insert = try PostgresMigrationHistory.insertSQL(conn, MigrationRecord(
                id: 0, version: job.schemaVersion, type: job.type.rawValue, status: "DONE", statement: job.sql,
                checksum: job.sheetSHA256, schemaBefore: before, schemaAfter: after, durationMs: duration,
                issueId: job.issueId, taskId: job.taskId, taskRunId: job.runId, workspace: job.workspaceId,
                appliedBy: job.createdBy, appliedAt: MigrationHistory.timestamp()), seal: job.seal)
            // Round trip: the history row and the COMMIT (an error skips the rest of the batch, so a
            // failed insert commits nothing and the transaction is rolled back below).
            _ = try conn.executeBatch(conn.isIdle ? insert : insert + ";\nCOMMIT")
            guard conn.isIdle else { throw PostgresError(message: "the transaction did not commit") }
            lap("7 history insert + commit")
            sink.info("committed: change and history row recorded in \(ref)")
            return .done(String(format: "applied in %.1f ms", duration))
        } catch {
            let pgError = error as? PostgresError
            if pgError?.connectionLost == true { reusable = false } else if conn.isHealthy, !conn.isIdle { _ = try? conn.execute("ROLLBACK") }
            let undone = nonTransactional ? "earlier statements stay applied (no transaction)" : "rolled back"
            if cancel.isCanceled, pgError?.isQueryCanceled == true {
                sink.info("canceled: \(undone)")
                return .canceled("canceled while running; \(undone)")
            }
            var message = "\(error)"
            if let failure = error as? StatementError {
                message = "line \(failure.line), column \(failure.column): \(failure.error)"
            }
            if pgError?.connectionLost == true || (error as? StatementError)?.error.connectionLost == true {
                message += "; the connection to the server was lost"
                reusable = false
            }
            sink.info("error: \(message)")
            return .failed("\(message); \(undone)")
        }
    }

    /// The session name a task run's connection carries while it runs, so a fence can find the
    /// session of a stalled run and end it (at most 63 bytes, PostgreSQL's limit).
    static func sessionName(workspace: String, run: Int64) -> String {
        "sluice \(workspace.prefix(8)) run \(run)"
    }

    /// A statement that failed, with the position of the error in the sheet.
    struct StatementError: Error {
        var error: PostgresError
        var line: Int
        var column: Int
    }

    private func runStatements(_ statements: [SQLStatement], sql: String, lines: LineIndex, conn: PostgresConnection,
                               sink: any TaskRunSink, cancel: CancellationHandle) throws {
        for s in statements {
            if cancel.isCanceled { throw PostgresError(message: "canceled", sqlState: "57014") }
            let t0 = DispatchTime.now().uptimeNanoseconds
            func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 }
            do {
                let r = try conn.execute(s.text)
                sink.log(kind: "STATEMENT", statementIndex: s.index, line: s.line, column: s.column, durationMs: elapsed(),
                         affectedRows: r.affectedRows, sql: s.text, message: nil)
            } catch let e as PostgresError {
                let pos = Self.position(of: e, in: s, lines: lines)
                sink.log(kind: e.isQueryCanceled && cancel.isCanceled ? "CANCELED" : "ERROR", statementIndex: s.index, line: pos.line,
                         column: pos.column, durationMs: elapsed(), affectedRows: nil, sql: s.text, message: e.description)
                if e.isQueryCanceled && cancel.isCanceled { throw e }
                throw StatementError(error: e, line: pos.line, column: pos.column)
            }
        }
    }

    /// Where in the sheet the server's error cursor points (its position counts characters of the statement).
    static func position(of error: PostgresError, in statement: SQLStatement, lines: LineIndex) -> SourcePosition {
        guard let p = error.position, p >= 1 else { return lines.position(ofByteOffset: statement.start) }
        let prefix = statement.text.unicodeScalars.prefix(p - 1)
        let bytes = prefix.reduce(0) { $0 + String($1).utf8.count }
        return lines.position(ofByteOffset: statement.start + bytes)
    }
}
