// Splits and classifies large migration scripts, beside a baseline measured in the same run:
// libpg_query's own `pg_query_split_with_scanner` (PostgreSQL) and SQLite preparing the script
// statement by statement (SQLite). A PostgreSQL script that parses is split and classified by
// one raw parse, in chunks on every core (see PostgresParsedScript). Release build:
//   swift run -c release sluice-sql-bench [POSTGRES_MB] [REPEATS] [SQLITE_MB]
// SQLite classification applies each schema change to an in-memory copy, and SQLite reloads
// the whole schema on ALTER TABLE: cost grows with the tables created so far, so the SQLite
// script is kept smaller (default 1 MB) than the PostgreSQL one (default 20 MB).
import CPgQuery
import Foundation
import GRDBSQLite
import SluiceSQL

let megabytes = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20 : 20
let repeats = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 3 : 3
let sqliteMegabytes = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 1 : 1

/// The best of `repeats` timings of `body`, in seconds, and its last result.
func best<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
    var fastest = Double.infinity
    var last: T?
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        last = try body()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (fastest, last!)
}

func report(_ label: String, _ seconds: Double, bytes: Int, statements: Int) {
    let mb = Double(bytes) / 1_000_000
    print("  " + label.padding(toLength: 42, withPad: " ", startingAt: 0)
          + String(format: " %7.3f s  %7.1f MB/s  %d statements", seconds, mb / seconds, statements))
}

// PostgreSQL
let postgres = Workload.postgres(bytes: megabytes * 1_000_000)
let pgBytes = postgres.utf8.count
print("PostgreSQL: \(String(format: "%.1f", Double(pgBytes) / 1e6)) MB of migrations, best of \(repeats)")
let baseline = best { () -> Int in
    postgres.withCString { input in
        let result = pg_query_split_with_scanner(input)
        defer { pg_query_free_split_result(result) }
        return Int(result.n_stmts)
    }
}
report("baseline pg_query_split_with_scanner", baseline.seconds, bytes: pgBytes, statements: baseline.result)
let pgSplit = try best { try StatementSplitter.split(postgres, dialect: .postgres) }
report("sluice split", pgSplit.seconds, bytes: pgBytes, statements: pgSplit.result.count)
let pgBoth = try best { try SQLClassifier.classify(postgres, dialect: .postgres).count }
report("sluice split + classify", pgBoth.seconds, bytes: pgBytes, statements: pgBoth.result)
print(String(format: "  ratio to baseline: split %.2f×, split + classify %.2f×", pgSplit.seconds / baseline.seconds, pgBoth.seconds / baseline.seconds))
// What the libpg_query calls underneath cost by themselves, in the same run: the scanner with
// its token list (`pg_query_scan`, which our split needs and the baseline does not), and a full
// parse of every statement (`pg_query_parse`, which classification needs), one core.
let rawScan = best { () -> Int in
    var bytes = Array(postgres.utf8) + [0]
    var tokens = 0
    var start = 0
    bytes.withUnsafeMutableBufferPointer { buffer in
        for statement in pgSplit.result where statement.end - start >= 64 * 1024 || statement.index == pgSplit.result.count - 1 {
            let saved = buffer[statement.end]
            buffer[statement.end] = 0
            let result = pg_query_scan(UnsafeRawPointer(buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self))
            tokens += Int(result.pbuf.len)
            pg_query_free_scan_result(result)
            buffer[statement.end] = saved
            start = statement.end
        }
    }
    return tokens
}
report("reference pg_query_scan (64 KB windows)", rawScan.seconds, bytes: pgBytes, statements: pgSplit.result.count)
let rawParse = best { () -> Int in
    var parsed = 0
    for statement in pgSplit.result {
        let result = pg_query_parse(statement.text)
        if result.error == nil { parsed += 1 }
        pg_query_free_parse_result(result)
    }
    return parsed
}
report("reference pg_query_parse each, 1 core", rawParse.seconds, bytes: pgBytes, statements: rawParse.result)
print(String(format: "  ratio to baseline: pg_query_scan alone %.2f×, baseline + pg_query_parse on 1 core %.2f×, on 2 cores %.2f× at best",
             rawScan.seconds / baseline.seconds, (baseline.seconds + rawParse.seconds) / baseline.seconds,
             (baseline.seconds + rawParse.seconds / 2) / baseline.seconds))

// SQLite
let sqlite = Workload.sqlite(bytes: sqliteMegabytes * 1_000_000)
let liteBytes = sqlite.utf8.count
print("SQLite: \(String(format: "%.1f", Double(liteBytes) / 1e6)) MB of migrations, best of \(repeats)")
let liteBaseline = best { () -> Int in
    // SQLite's own parser walking the script (prepare, then continue at the tail), without running it.
    var db: OpaquePointer?
    sqlite3_open(":memory:", &db)
    defer { sqlite3_close(db) }
    sqlite3_exec(db, "CREATE TABLE customer (id INTEGER PRIMARY KEY)", nil, nil, nil)
    var count = 0
    sqlite.withCString { base in
        var cursor: UnsafePointer<CChar>? = base
        while let c = cursor, c.pointee != 0 {
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            guard sqlite3_prepare_v2(db, c, -1, &statement, &tail) == SQLITE_OK else { break }
            if let statement {
                count += 1
                // Schema changes must apply for later statements to prepare.
                let text = String(cString: sqlite3_sql(statement))
                if sqlite3_stmt_readonly(statement) == 0, text.contains("CREATE ") || text.contains("ALTER TABLE") { _ = sqlite3_step(statement) }
                sqlite3_finalize(statement)
            }
            cursor = tail
        }
    }
    return count
}
report("baseline sqlite3_prepare_v2 walk (+DDL)", liteBaseline.seconds, bytes: liteBytes, statements: liteBaseline.result)
let liteSplit = try best { try StatementSplitter.split(sqlite, dialect: .sqlite) }
report("sluice split", liteSplit.seconds, bytes: liteBytes, statements: liteSplit.result.count)
let liteBoth = try best { () -> Int in
    let statements = try StatementSplitter.split(sqlite, dialect: .sqlite)
    return SQLClassifier.classify(statements, dialect: .sqlite, schema: "CREATE TABLE customer (id INTEGER PRIMARY KEY);").count
}
report("sluice split + classify", liteBoth.seconds, bytes: liteBytes, statements: liteBoth.result)
print(String(format: "  ratio to baseline: split %.2f×, split + classify %.2f×", liteSplit.seconds / liteBaseline.seconds, liteBoth.seconds / liteBaseline.seconds))
