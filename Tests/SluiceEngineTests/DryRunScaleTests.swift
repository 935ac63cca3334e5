import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import SluiceEngine

/// The SQLite dry run on large sheets: a time limit that holds however the time is spent, a
/// memory limit, and readers of the target never blocked while it runs (rollback-journal mode,
/// where a spilled cache would take the exclusive lock).
@Suite struct DryRunScaleTests {
    let dir: String
    let target: TargetDatabase

    init() throws {
        dir = NSTemporaryDirectory() + "dryrun-scale-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/t.db"
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE t(a INTEGER, b BLOB); INSERT INTO t VALUES (1, x'00')")
        }
        target = try TargetDatabase(row: ["id": 1, "instance": "i", "name": "t", "effectiveEnvironment": "test", "engine": "sqlite",
                                          "location": path, "labels": "{}"])
    }

    /// Thousands of statements each too short for SQLite's progress handler, which counts the steps
    /// of one statement: before the limit was also polled between statements, this ran to its end.
    @Test func theTimeLimitHoldsOverManyShortStatements() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sql = String(repeating: "SELECT length(printf('%.*c', 3000000, 'x'));\n", count: 4000)
        let t0 = Date()
        let report = SQLiteExecutor().dryRun(target, sql: sql, timeLimit: 0.5, cancel: CancellationHandle())
        let took = Date().timeIntervalSince(t0)
        #expect(report.outcome == .timedOut, "\(report.outcome) after \(report.statements.count) statements")
        #expect(report.statements.count < 4000)
        #expect(report.note?.contains("0.5 s time limit") == true, "\(report.note ?? "")")
        // What remains is making the sheet ready (split, policy) before the clock starts, and one statement.
        #expect(took < 5, "took \(took) s")
    }

    @Test func aDryRunStopsWhenItsChangesFillTheMemoryLimit() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sql = String(repeating: """
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) INSERT INTO t SELECT x, randomblob(1000) FROM c;

            """, count: 20)
        let report = SQLiteExecutor(dryRunMemoryCap: 8 << 20).dryRun(target, sql: sql, timeLimit: 60, cancel: CancellationHandle())
        #expect(report.outcome == .timedOut)
        #expect(report.note?.contains("8 MB of memory") == true, "\(report.note ?? "")")
        #expect(try DatabaseQueue(path: target.location).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 1)
    }

    /// A reader that never waits (busy timeout 0) reads the target all through a dry run that
    /// changes far more than SQLite's page cache holds.
    @Test func readersOfTheTargetAreNeverBlocked() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try DatabaseQueue(path: target.location).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "delete")
        let sql = String(repeating: """
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) INSERT INTO t SELECT x, randomblob(1000) FROM c;

            """, count: 6)
        let done = LockedFlag()
        let outcome = Locked<(reads: Int, busy: Int, errors: [String])>((0, 0, []))
        let reader = Thread {
            var db: OpaquePointer?
            sqlite3_open_v2(target.location, &db, SQLITE_OPEN_READONLY, nil)
            defer { sqlite3_close(db) }
            while !done.value {
                var stmt: OpaquePointer?
                var rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt, nil)
                if rc == SQLITE_OK { rc = sqlite3_step(stmt) }
                sqlite3_finalize(stmt)
                outcome.withLock { o in
                    if rc == SQLITE_ROW { o.reads += 1 } else if rc & 0xff == SQLITE_BUSY { o.busy += 1 } else { o.errors.append("\(rc)") }
                }
            }
        }
        reader.start()
        let report = SQLiteExecutor().dryRun(target, sql: sql, timeLimit: 60, cancel: CancellationHandle())
        done.set()
        Thread.sleep(forTimeInterval: 0.05)
        let seen = outcome.withLock { $0 }
        #expect(report.outcome == .success, "\(report)")
        #expect(report.statements.map(\.affectedRows) == Array(repeating: 10000, count: 6))
        #expect(seen.busy == 0, "the reader was refused \(seen.busy) time(s) in \(seen.reads + seen.busy) reads")
        #expect(seen.reads > 0)
        #expect(seen.errors.isEmpty)
        #expect(try DatabaseQueue(path: target.location).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 1)
    }
}
