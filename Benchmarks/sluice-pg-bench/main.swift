// PostgreSQL rollout benchmark (issue 5): one MIGRATE spec rolled out to 50 databases on a local
// server through the real engine (history row, schema before and after, per-statement log),
// beside a baseline measured in the same run: a plain libpq loop that connects to each database
// in turn and applies the same SQL in a transaction. Each round uses fresh databases, cloned from
// a template holding a small schema (20 tables with keys and indexes) so that snapshots have
// something to read. Rounds alternate which side goes first.
//
//   ./scripts/pg-bench.sh            (starts a private server, builds in release, runs this)
//   SLUICE_BENCH_PG="host=… port=… user=postgres dbname=postgres" .build/release/sluice-pg-bench [DATABASES] [ROUNDS]
//   (SLUICE_BENCH_WORKERS=N sets the scheduler's worker count and the instance's max connections; default 8;
//    SLUICE_PHASE_TIMINGS=1 prints where each side's time goes, phase by phase, after each round)
import CLibPQ
import Foundation
import SluiceEngine

let databases = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 50 : 50
let rounds = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 3 : 3
let workers = Int(ProcessInfo.processInfo.environment["SLUICE_BENCH_WORKERS"] ?? "") ?? 8
guard let conninfo = ProcessInfo.processInfo.environment["SLUICE_BENCH_PG"] ?? ProcessInfo.processInfo.environment["SLUICE_TEST_PG"] else {
    FileHandle.standardError.write(Data("set SLUICE_BENCH_PG to a server's conninfo, or run ./scripts/pg-bench.sh\n".utf8))
    exit(2)
}

let sql = """
    CREATE TABLE feature_flags (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, enabled boolean NOT NULL DEFAULT false,
                                created_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX feature_flags_enabled ON feature_flags (enabled) WHERE enabled;
    INSERT INTO feature_flags (name) SELECT 'flag_' || g FROM generate_series(1, 100) g;
    ALTER TABLE t01 ADD COLUMN flag_id bigint REFERENCES feature_flags (id);
    """

/// One connection by plain libpq: the baseline's whole toolkit.
func connect(_ database: String) -> OpaquePointer {
    let keyNames: [String] = ["dbname", "dbname"], valueTexts: [String] = [conninfo, database]
    let keys = keyNames.map { strdup($0) }, values = valueTexts.map { strdup($0) }
    defer { keys.forEach { free($0) }; values.forEach { free($0) } }
    var k: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
    var v: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
    guard let conn = PQconnectdbParams(&k, &v, 1), PQstatus(conn) == CONNECTION_OK else { fatalError("cannot connect to \(database)") }
    PQsetNoticeProcessor(conn, { _, _ in }, nil)
    return conn
}

func run(_ conn: OpaquePointer, _ sql: String) {
    let r = PQexec(conn, sql)
    defer { PQclear(r) }
    let s = PQresultStatus(r)
    guard s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK else { fatalError(String(cString: PQresultErrorMessage(r))) }
}

let admin = connect("postgres")
let tag = "slbench_" + UUID().uuidString.prefix(6).lowercased()
let template = tag + "_template"
run(admin, "CREATE DATABASE \(template)")
do {
    let t = connect(template)
    for i in 1...20 {
        let n = String(format: "%02d", i)
        run(t, "CREATE TABLE t\(n) (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now(), amount numeric(12, 2) CHECK (amount >= 0));"
            + " CREATE INDEX t\(n)_name ON t\(n) (name); INSERT INTO t\(n) (name, amount) SELECT 'row ' || g, g FROM generate_series(1, 50) g;")
    }
    PQfinish(t)
}

@MainActor func makeDatabases(_ prefix: String) -> [String] {
    (0..<databases).map { i in
        let name = "\(prefix)_\(i)"
        run(admin, "CREATE DATABASE \(name) TEMPLATE \(template)")
        return name
    }
}

@MainActor func dropDatabases(_ names: [String]) { for n in names { run(admin, "DROP DATABASE IF EXISTS \(n) WITH (FORCE)") } }

/// The baseline: connect, BEGIN, the SQL, COMMIT, disconnect; one database after another.
func baseline(_ names: [String]) -> Double {
    let t0 = Date()
    for n in names {
        var mark = PhaseTimings.now()
        let c = connect(n)
        PhaseTimings.record("base.1 connect", since: mark); mark = PhaseTimings.now()
        run(c, "BEGIN")
        run(c, sql)
        PhaseTimings.record("base.2 statements", since: mark); mark = PhaseTimings.now()
        run(c, "COMMIT")
        PhaseTimings.record("base.3 commit", since: mark); mark = PhaseTimings.now()
        PQfinish(c)
        PhaseTimings.record("base.4 finish", since: mark)
    }
    return Date().timeIntervalSince(t0)
}

/// Sluice: a fresh workspace whose instance holds these databases, one issue, the engine headless.
/// Returns the rollout's seconds (scheduling, execution, history and snapshots) and, apart, the
/// seconds creating the issue took (its plan checks: a dry run, counts and estimates per database).
func sluice(_ names: [String], round: Int, workers: Int) throws -> (rollout: Double, checks: Double) {
    let home = NSTemporaryDirectory() + "sluice-pg-bench-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: home) }
    let ws = try Workspace(home: home, create: true)
    let me = try ws.initialise(adminEmail: "admin@example.com", password: "benchmark")
    _ = try ws.addEnvironment(by: me, name: "prod", order: 0, protected: false, autoRollout: true, rolloutRoles: [])
    _ = try ws.addInstance(by: me, name: "pg", engine: .postgres, location: conninfo, environment: "prod", maxConnections: workers)
    _ = try ws.syncInstance(by: me, name: "pg")
    _ = try ws.createProject(by: me, key: "BENCH", title: "Benchmark")
    let targets = names.map { DatabaseRef(instance: "pg", name: $0) }
    let t0 = Date()
    let issue = try ws.createIssue(by: me, project: "BENCH", title: "Feature flags", plan: .targets(
        sql: sql, databases: targets, labels: [:], type: .migrate, schemaVersion: "0001", earliestAllowedTime: nil))
    let checks = Date().timeIntervalSince(t0)
    // The checks leave warm connections in the pool; a rollout usually comes much later, when
    // they have been closed: start it cold, like the baseline.
    TargetDrivers.closeIdleConnections()
    let t1 = Date()
    try RolloutScheduler(workspace: ws, options: .init(workers: workers)).runUntilIdle()
    let seconds = Date().timeIntervalSince(t1)
    let tasks = try ws.tasks(issue: issue.id, by: me)
    precondition(tasks.allSatisfy { $0.status == .done }, "not every task is DONE: \(tasks.compactMap { $0.latestRun?.message }.prefix(3))")
    let history = try ws.history(targets[0], by: me)
    precondition(history.count == 1 && history[0].schemaAfter.contains("feature_flags") && !history[0].schemaBefore.contains("feature_flags"),
                 "history row or snapshots missing")
    return (seconds, checks)
}

print("PostgreSQL rollout of one change (4 statements) to \(databases) databases; \(rounds) rounds; Sluice with \(workers) workers and 1 worker")
print("round  baseline (s)  rollout \(workers)w (s)  ratio   rollout 1w (s)  ratio   issue create + plan checks (s)")
var ratios: [Double] = [], serialRatios: [Double] = []
defer { dropDatabases([template]); PQfinish(admin) }
for round in 1...rounds {
    let a = makeDatabases("\(tag)_r\(round)_plain"), b = makeDatabases("\(tag)_r\(round)_sluice"), c = makeDatabases("\(tag)_r\(round)_serial")
    var base = 0.0, ours = 0.0, checks = 0.0
    _ = PhaseTimings.take()
    if round % 2 == 1 {
        base = baseline(a); (ours, checks) = try sluice(b, round: round, workers: workers)
    } else {
        (ours, checks) = try sluice(b, round: round, workers: workers); base = baseline(a)
    }
    var phases = [PhaseTimings.take()]
    let serial = try sluice(c, round: round, workers: 1).rollout
    phases.append(PhaseTimings.take())
    ratios.append(ours / base)
    serialRatios.append(serial / base)
    print(String(format: "%5d  %12.3f  %15.3f  %5.2f×  %14.3f  %5.2f×  %10.3f", round, base, ours, ours / base, serial, serial / base, checks))
    if PhaseTimings.enabled { print("phases, sluice \(workers)w then 1w (SLUICE_PHASE_TIMINGS=1):\n\(phases.map(PhaseTimings.report).joined(separator: "\n  --\n"))") }
    dropDatabases(a + b + c)
}
let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
print(String(format: "median ratio: %.2f× with %d workers (target ≤ 1.5×), %.2f× with 1 worker", median(ratios), workers, median(serialRatios)))
