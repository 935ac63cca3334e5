import Foundation
import GRDB
import SluiceSQL

extension Workspace {
    /// Runs the plan checks of every task of the issue that has not run yet (re-running replaces
    /// earlier results), checking up to `options.concurrency` databases at once. Needs
    /// `issues.update`; issue creation and SQL edits run them on their own.
    @discardableResult
    public func runPlanChecks(by actor: Principal, issue id: Int64, options: PlanCheckOptions = PlanCheckOptions()) throws -> [PlanCheck] {
        try store.read { db in
            try checkRunPlanChecks(db, try fetchIssue(id, db), actor)
        }
        return try runPlanChecks(issue: id, specs: nil, options: options)
    }

    /// Runs the checks of the issue's tasks not yet started (all specs, or only `specs`) and stores them.
    @discardableResult
    func runPlanChecks(issue id: Int64, specs: Set<String>?, options: PlanCheckOptions = PlanCheckOptions()) throws -> [PlanCheck] {
        try options.validate()
        let (groups, configs) = try store.read { db in try planCheckGroups(db, issue: id, specs: specs) }
        guard !groups.isEmpty else { return [] }
        // One worker per database at a time, so dry runs on one database never contend.
        let perDatabase = Dictionary(grouping: groups, by: \.database.id).values.map { $0 }
        let collected = PlanCheckCollector()
        let workers = min(options.concurrency, perDatabase.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let groups = collected.nextGroup(of: perDatabase) {
                for group in groups {
                    let checker = PlanChecker(options: options, config: configs[group.database.environment] ?? nil)
                    for outcome in checker.run(group) { collected.add(outcome) }
                }
            }
        }
        let outcomes = collected.outcomes.sorted { $0.facts.taskId < $1.facts.taskId }
        try store.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO planCheck (task, kind, status, sheetSha256, results, facts, checkedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(task, kind) DO UPDATE SET status = excluded.status, sheetSha256 = excluded.sheetSha256,
                    results = excluded.results, facts = excluded.facts, checkedAt = excluded.checkedAt
                """)
            let encoder = JSONEncoder()
            for outcome in outcomes {
                try db.execute(sql: "DELETE FROM planCheck WHERE task = ?", arguments: [outcome.facts.taskId])
                for check in outcome.checks {
                    let facts = check.kind == .statementSummary ? String(decoding: try encoder.encode(outcome.facts), as: UTF8.self) : nil
                    try insert.execute(arguments: [check.taskId, check.kind.rawValue, check.status.rawValue, check.sheetSHA256,
                                                   String(decoding: try encoder.encode(check.results), as: UTF8.self), facts,
                                                   check.checkedAt.timeIntervalSince1970])
                }
            }
            let all = outcomes.flatMap(\.checks)
            let errors = all.filter { $0.status == .error }.count
            let warnings = all.filter { $0.status == .warning }.count
            try recordEvent(db, issue: id, actor: Principal.system.email, kind: "PLAN_CHECK",
                            text: "plan checks of \(outcomes.count) task(s): \(errors) ERROR, \(warnings) WARNING, \(all.count - errors - warnings) SUCCESS")
            try reassessRiskAfterChecks(db, issueId: id)
        }
        return outcomes.flatMap(\.checks)
    }

    /// The issue's sheets grouped by stage and database, in the order they run; the tasks still to
    /// check carry a job. Tasks that ran (DONE, SKIPPED) are left out: their changes are in the database.
    private func planCheckGroups(_ db: Database, issue id: Int64, specs: Set<String>?) throws -> ([PlanChecker.Group], [String: ReviewConfig?]) {
        let databases = Dictionary(try fetchDatabases(db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = try Row.fetchCursor(db, sql: """
            SELECT t.id, t.stage, t.position, t.specId, t.database, t.status, s.sha256, s.content
            FROM task t JOIN sheet s ON s.id = t.sheet JOIN stage st ON st.id = t.stage
            WHERE t.issue = ? ORDER BY st.position, t.position
            """, arguments: [id])
        var groups: [PlanChecker.Group] = []
        var groupOf: [String: Int] = [:]
        while let row = try rows.next() {
            let status = TaskStatus(rawValue: row["status"]) ?? .notStarted
            guard status != .done, status != .skipped, let database = databases[row["database"]] else { continue }
            let key = "\(row["stage"] as Int64)/\(database.id)"
            let content: String = row["content"]
            var job: PlanChecker.Job?
            if status == .notStarted, specs?.contains(row["specId"]) ?? true {
                job = PlanChecker.Job(taskId: row["id"], issueId: id, specId: row["specId"], database: database, sheet: content,
                                      sheetSHA256: row["sha256"])
            }
            if let g = groupOf[key] {
                groups[g].entries.append((content, job))
            } else {
                groupOf[key] = groups.count
                groups.append(PlanChecker.Group(database: database, entries: [(content, job)]))
            }
        }
        // Sheets after a group's last checked one never run in its dry run.
        groups = groups.compactMap { g in
            guard let last = g.entries.lastIndex(where: { $0.job != nil }) else { return nil }
            return PlanChecker.Group(database: g.database, entries: Array(g.entries[...last]))
        }
        var configs: [String: ReviewConfig?] = [:]
        for env in Set(groups.map(\.database.environment)) { configs[env] = try fetchReviewConfig(db, environment: env) }
        return (groups, configs)
    }

    /// The stored plan checks of an issue, in task order.
    public func planChecks(issue id: Int64, by actor: Principal) throws -> [PlanCheck] {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            try require(.issuesGet, actor, project: issue.project, to: "read issues", db)
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: """
                SELECT c.*, t.specId, d.instance || '/' || d.name AS dbname, st.environment
                FROM planCheck c JOIN task t ON t.id = c.task JOIN targetDatabase d ON d.id = t.database JOIN stage st ON st.id = t.stage
                WHERE t.issue = ? ORDER BY st.position, t.position, c.id
                """, arguments: [id]).map { row in
                PlanCheck(taskId: row["task"], specId: row["specId"], database: row["dbname"], environment: row["environment"],
                          kind: PlanCheckKind(rawValue: row["kind"]) ?? .review, status: PlanCheckStatus(rawValue: row["status"]) ?? .error,
                          results: (try? decoder.decode([PlanCheckResult].self, from: Data((row["results"] as String).utf8))) ?? [],
                          sheetSHA256: row["sheetSha256"], checkedAt: Date(timeIntervalSince1970: row["checkedAt"]))
            }
        }
    }

    /// What risk needs to know of each checked task of the issue (one value per task), from its
    /// statement summary: statement types, tables, affected rows, table rows.
    public func checkFacts(issue id: Int64, by actor: Principal = .system) throws -> [TaskCheckFacts] {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            if actor != .system { try require(.issuesGet, actor, project: issue.project, to: "read issues", db) }
            return try checkFacts(db, issue: id)
        }
    }

    /// The same, inside the caller's transaction (for risk computed with the approval).
    public func checkFacts(_ db: Database, issue id: Int64) throws -> [TaskCheckFacts] {
        let decoder = JSONDecoder()
        return try String.fetchAll(db, sql: """
            SELECT c.facts FROM planCheck c JOIN task t ON t.id = c.task
            WHERE t.issue = ? AND c.kind = 'STATEMENT_SUMMARY' AND c.facts IS NOT NULL ORDER BY t.id
            """, arguments: [id]).compactMap { try? decoder.decode(TaskCheckFacts.self, from: Data($0.utf8)) }
    }

    /// Forgets the checks of the given spec's tasks (its SQL changed).
    func resetPlanChecks(_ db: Database, issue id: Int64, spec: String) throws {
        try db.execute(sql: "DELETE FROM planCheck WHERE task IN (SELECT id FROM task WHERE issue = ? AND specId = ?)", arguments: [id, spec])
    }
}

/// Hands out database groups to check workers and gathers their outcomes.
private final class PlanCheckCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [PlanChecker.Outcome] = []

    func nextGroup(of groups: [[PlanChecker.Group]]) -> [PlanChecker.Group]? {
        lock.withLock {
            guard next < groups.count else { return nil }
            defer { next += 1 }
            return groups[next]
        }
    }

    func add(_ outcome: PlanChecker.Outcome) { lock.withLock { results.append(outcome) } }

    var outcomes: [PlanChecker.Outcome] { lock.withLock { results } }
}
