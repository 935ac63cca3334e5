// Rollout benchmark (issue 2): one MIGRATE spec (CREATE TABLE + INSERT) rolled out to 1,000
// SQLite tenant databases (10 in test, 990 in prod) through the real engine, beside a baseline
// measured in the same run: a plain loop that opens each database and applies the same SQL plus
// one history row into a central SQLite file. Also the median gap between one task's end and the
// next task's start on the same database.
//
//   swift build -c release --product sluice-bench && .build/release/sluice-bench [TENANTS]
//   (SLUICE_BENCH_WORKERS=N sets the scheduler's worker count; default 8)
import Foundation
import GRDBSQLite
import SluiceEngine

let tenants = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let testTenants = min(10, tenants)
let sql = """
    CREATE TABLE feature_flags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 0);
    INSERT INTO feature_flags (name, enabled) VALUES ('new_checkout', 1);
    """

func makeTenants(_ dir: String, count: Int, prefix: String) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for i in 0..<count {
        let path = "\(dir)/\(prefix)\(i).db"
        var db: OpaquePointer?
        sqlite3_open(path, &db)
        sqlite3_exec(db, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts (name) VALUES ('tenant \(i)');", nil, nil, nil)
        sqlite3_close(db)
    }
}

func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return -1 }
    let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? -1
    return kb / 1024
}

func exec(_ db: OpaquePointer?, _ sql: String) {
    if sqlite3_exec(db, sql, nil, nil, nil) != SQLITE_OK { fatalError(String(cString: sqlite3_errmsg(db))) }
}

let root = NSTemporaryDirectory() + "sluice-bench-" + UUID().uuidString
defer { try? FileManager.default.removeItem(atPath: root) }

// --- Sluice ---------------------------------------------------------------------------------
try makeTenants(root + "/sluice/test", count: testTenants, prefix: "tenant")
try makeTenants(root + "/sluice/prod", count: tenants - testTenants, prefix: "tenant")
let ws = try Workspace(home: root + "/sluice/home", create: true)
let admin = try ws.initialise(adminEmail: "admin@example.com", password: "benchmark")
_ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: true, rolloutRoles: [])
_ = try ws.addEnvironment(by: admin, name: "prod", order: 1, protected: true, autoRollout: false, rolloutRoles: nil)
for env in ["test", "prod"] {
    _ = try ws.addInstance(by: admin, name: env, engine: .sqlite, location: root + "/sluice/" + env, environment: env, maxConnections: 8)
    _ = try ws.syncInstance(by: admin, name: env)
}
_ = try ws.createProject(by: admin, key: "BENCH", title: "Benchmark")
let targets = try ws.databases().map(\.ref)

let t0 = Date()
let issue = try ws.createIssue(by: admin, project: "BENCH", title: "Feature flags", plan: .targets(
    sql: sql, databases: targets, labels: [:], type: .migrate, schemaVersion: "0001", earliestAllowedTime: nil))
// Creating the issue runs its plan checks (a dry run per tenant): reported on its own line.
let checksSeconds = Date().timeIntervalSince(t0)
let workers = Int(ProcessInfo.processInfo.environment["SLUICE_BENCH_WORKERS"] ?? "") ?? 8
let scheduler = try RolloutScheduler(workspace: ws, options: .init(workers: workers))
try scheduler.runUntilIdle()
_ = try ws.runStage(by: admin, issue: issue.id, environment: "prod")
try scheduler.runUntilIdle()
let totalSeconds = Date().timeIntervalSince(t0)
let sluiceSeconds = totalSeconds - checksSeconds
let sluicePeak = peakMemoryMB()
let done = try ws.tasks(issue: issue.id, by: admin).filter { $0.status == .done }.count
precondition(done == tenants, "only \(done) of \(tenants) tasks are DONE")
let history = try ws.history(DatabaseRef(instance: "prod", name: "tenant0"), by: admin)
precondition(history.count == 1 && !history[0].schemaAfter.isEmpty, "history row or snapshot missing")

// --- Baseline: a plain loop ------------------------------------------------------------------
try makeTenants(root + "/plain", count: tenants, prefix: "tenant")
var central: OpaquePointer?
sqlite3_open(root + "/plain/central.db", &central)
exec(central, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE history (db TEXT, version TEXT, statement TEXT, applied_at REAL);")
let b0 = Date()
for i in 0..<tenants {
    var db: OpaquePointer?
    sqlite3_open_v2(root + "/plain/tenant\(i).db", &db, SQLITE_OPEN_READWRITE, nil)
    exec(db, "BEGIN IMMEDIATE")
    exec(db, sql)
    exec(db, "COMMIT")
    sqlite3_close(db)
    var stmt: OpaquePointer?
    sqlite3_prepare_v2(central, "INSERT INTO history VALUES (?, '0001', ?, ?)", -1, &stmt, nil)
    sqlite3_bind_text(stmt, 1, "tenant\(i)", -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    sqlite3_bind_text(stmt, 2, sql, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    sqlite3_bind_double(stmt, 3, Date().timeIntervalSince1970)
    sqlite3_step(stmt)
    sqlite3_finalize(stmt)
}
let baselineSeconds = Date().timeIntervalSince(b0)
sqlite3_close(central)

// --- Gap between consecutive tasks on one database -------------------------------------------
let chain = 200
let specs = (0..<chain).map { k in
    PlanDocument.Spec(id: "step\(k)", changeDatabaseConfig: .init(
        target: "test/tenant0", sheet: k == 0 ? "CREATE TABLE chain(k INTEGER);" : "INSERT INTO chain VALUES (\(k));"))
}
let chainIssue = try ws.createIssue(by: admin, project: "BENCH", title: "Chain", plan: .document(PlanDocument(steps: [.init(title: "test", specs: specs)])))
try scheduler.runUntilIdle()
let runs = try ws.tasks(issue: chainIssue.id, by: admin).sorted { $0.position < $1.position }.compactMap(\.latestRun)
precondition(runs.count == chain && runs.allSatisfy { $0.status == .done }, "chain did not finish")
var gaps: [Double] = []
for k in 1..<runs.count {
    if let end = runs[k - 1].finishedAt, let start = runs[k].startedAt { gaps.append(start.timeIntervalSince(end) * 1000) }
}
gaps.sort()
let median = gaps[gaps.count / 2]
let p90 = gaps[gaps.count * 9 / 10]

print("""
    sluice rollout benchmark: \(tenants) SQLite tenant databases (\(testTenants) test, \(tenants - testTenants) prod), CREATE TABLE + INSERT
      sluice rollout (schedule, execute, history + snapshots): \(String(format: "%.2f", sluiceSeconds)) s  (\(String(format: "%.2f", sluiceSeconds / Double(tenants) * 1000)) ms/db)
      baseline (plain loop + central history row):           \(String(format: "%.2f", baselineSeconds)) s  (\(String(format: "%.2f", baselineSeconds / Double(tenants) * 1000)) ms/db)
      ratio sluice rollout / baseline: \(String(format: "%.2f", sluiceSeconds / baselineSeconds))×  (target ≤ 2×)
      issue creation with plan checks (classify, dry run, row counts per tenant): \(String(format: "%.2f", checksSeconds)) s
      ratio everything (create + checks + rollout) / baseline: \(String(format: "%.2f", totalSeconds / baselineSeconds))×
      peak memory after the sluice rollout: \(String(format: "%.1f", sluicePeak)) MB  (target < 200 MB)
      gap between consecutive tasks on one database (\(chain) tasks): median \(String(format: "%.2f", median)) ms, p90 \(String(format: "%.2f", p90)) ms  (target median < 5 ms)
    """)
