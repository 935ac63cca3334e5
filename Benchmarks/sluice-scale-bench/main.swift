// Scale benchmark (issue 12): large plans on one database, and scheduling cost as runs pile up,
// each beside a baseline measured in the same run.
//
//   swift build -c release --product sluice-scale-bench && .build/release/sluice-scale-bench [MAX_SPECS]
//
// 1. Creating an issue whose plan has N specs on one SQLite database (N = 2,500, 5,000, 10,000):
//    storing the plan and running its plan checks (one dry run of the N sheets in order, review,
//    summary). Baseline: a plain loop that stores N sheets and N task rows in a SQLite file and
//    runs the N sheets once in a rolled-back transaction on a copy of the target.
// 2. Scheduling with N runs queued on one database (N = 100 … 30,000): milliseconds per task over
//    100 tasks, beside a plain loop that applies the same statement and one history row per task.
import Foundation
import GRDBSQLite
import SluiceEngine

let maxSpecs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 30_000 : 30_000
let root = NSTemporaryDirectory() + "sluice-scale-bench-" + UUID().uuidString
defer { try? FileManager.default.removeItem(atPath: root) }

func exec(_ db: OpaquePointer?, _ sql: String) {
    if sqlite3_exec(db, sql, nil, nil, nil) != SQLITE_OK { fatalError(String(cString: sqlite3_errmsg(db))) }
}

func residentMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return -1 }
    return (Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? -1) / 1024
}

func makeTarget(_ dir: String) {
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var db: OpaquePointer?
    sqlite3_open(dir + "/app.db", &db)
    exec(db, "CREATE TABLE events (id INTEGER PRIMARY KEY, k INTEGER, note TEXT)")
    sqlite3_close(db)
}

func sheet(_ k: Int) -> String { "INSERT INTO events (k, note) VALUES (\(k), 'spec \(k)');" }

func workspace(_ name: String, autoRollout: Bool) throws -> (Workspace, Principal) {
    let home = root + "/" + name
    makeTarget(home + "/target")
    let ws = try Workspace(home: home + "/home", create: true)
    let admin = try ws.initialise(adminEmail: "admin@example.com", password: "benchmark-password")
    _ = try ws.addEnvironment(by: admin, name: "test", order: 0, protected: false, autoRollout: autoRollout, rolloutRoles: [])
    _ = try ws.addInstance(by: admin, name: "test", engine: .sqlite, location: home + "/target", environment: "test", maxConnections: 8)
    _ = try ws.syncInstance(by: admin, name: "test")
    _ = try ws.createProject(by: admin, key: "BENCH", title: "Benchmark")
    return (ws, admin)
}

func plan(_ n: Int) -> PlanDocument {
    PlanDocument(steps: [.init(title: "test", specs: (0..<n).map { k in
        PlanDocument.Spec(id: "s\(k)", changeDatabaseConfig: .init(target: "test/app", sheet: sheet(k)))
    })])
}

func baselineCreate(_ n: Int) -> Double {
    let dir = root + "/baseline-create-\(n)"
    makeTarget(dir)
    var store: OpaquePointer?, target: OpaquePointer?
    sqlite3_open(dir + "/store.db", &store)
    exec(store, "PRAGMA journal_mode = WAL; CREATE TABLE sheet (id INTEGER PRIMARY KEY, content TEXT); CREATE TABLE task (id INTEGER PRIMARY KEY, sheet INTEGER, position INTEGER)")
    sqlite3_open(dir + "/app.db", &target)
    let t0 = Date()
    exec(store, "BEGIN")
    var ins: OpaquePointer?
    sqlite3_prepare_v2(store, "INSERT INTO sheet (content) VALUES (?)", -1, &ins, nil)
    for k in 0..<n {
        sqlite3_bind_text(ins, 1, sheet(k), -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        sqlite3_step(ins); sqlite3_reset(ins)
        exec(store, "INSERT INTO task (sheet, position) VALUES (\(sqlite3_last_insert_rowid(store)), \(k))")
    }
    sqlite3_finalize(ins)
    exec(store, "COMMIT")
    exec(target, "BEGIN")
    for k in 0..<n { exec(target, sheet(k)) }
    exec(target, "ROLLBACK")
    sqlite3_close(store); sqlite3_close(target)
    return Date().timeIntervalSince(t0)
}

print("sluice scale benchmark")
print("  1. an issue whose plan has N specs on one database (store the plan + plan checks)")
for n in [2_500, 5_000, 10_000] where n <= maxSpecs {
    let (ws, admin) = try workspace("create-\(n)", autoRollout: false)
    let before = residentMB()
    let t0 = Date()
    let issue = try ws.createIssue(by: admin, project: "BENCH", title: "\(n) specs", plan: .document(plan(n)))
    let seconds = Date().timeIntervalSince(t0)
    let grown = residentMB() - before
    let checks = try ws.planChecks(issue: issue.id, by: admin)
    precondition(checks.filter { $0.kind == .dryRun && $0.status == .success }.count == n, "not every dry run passed")
    let base = baselineCreate(n)
    print(String(format: "     N=%6d  sluice %6.2f s (%5.3f ms/spec, +%4.0f MB resident)   baseline %5.2f s   ratio %5.1f×   (target < 5 s, < 200 MB at 10,000)",
                 n, seconds, seconds / Double(n) * 1000, grown, base, seconds / base))
}

print("  2. scheduling with N runs queued on one database: ms per task over 100 tasks")
func baselinePerTask() -> Double {
    let dir = root + "/baseline-run"
    makeTarget(dir)
    var central: OpaquePointer?
    sqlite3_open(dir + "/central.db", &central)
    exec(central, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE history (version TEXT, statement TEXT, at REAL)")
    let t0 = Date()
    for k in 0..<100 {
        var db: OpaquePointer?
        sqlite3_open_v2(dir + "/app.db", &db, SQLITE_OPEN_READWRITE, nil)
        exec(db, "BEGIN IMMEDIATE"); exec(db, sheet(k)); exec(db, "COMMIT")
        sqlite3_close(db)
        exec(central, "INSERT INTO history VALUES ('\(k)', 'x', \(Date().timeIntervalSince1970))")
    }
    sqlite3_close(central)
    return Date().timeIntervalSince(t0) * 1000 / 100
}
let basePerTask = baselinePerTask()
var first: Double?
for n in [100, 1_000, 10_000, 30_000] where n <= maxSpecs {
    let (ws, admin) = try workspace("run-\(n)", autoRollout: true)
    let issue = try ws.createIssue(by: admin, project: "BENCH", title: "\(n) queued", plan: .document(plan(n)))
    let scheduler = try RolloutScheduler(workspace: ws)
    func done() throws -> Int {
        try ws.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task WHERE issue = ? AND status = 'DONE'", arguments: [issue.id]) ?? 0 }
    }
    scheduler.start()
    while try done() < 5 { Thread.sleep(forTimeInterval: 0.001) }
    let start = try done()
    let t0 = Date()
    let goal = min(n, start + 100)
    while try done() < goal { Thread.sleep(forTimeInterval: 0.001) }
    let perTask = Date().timeIntervalSince(t0) * 1000 / Double(goal - start)
    scheduler.stop()
    if first == nil { first = perTask }
    print(String(format: "     N=%6d  sluice %6.2f ms/task   baseline %5.2f ms/task   vs N=100: %4.2f×  (target within 2×)",
                 n, perTask, basePerTask, perTask / (first ?? perTask)))
}
