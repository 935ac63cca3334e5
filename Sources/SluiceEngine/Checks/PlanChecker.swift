import Foundation
import SluiceSQL

/// Runs the plan checks of the tasks of one stage on one database, through the engine's driver
/// only: connect (once), one dry run of the stage's sheets on that database in order (in a
/// rolled-back transaction, so a table an earlier sheet creates is there for a later one),
/// statement summary, and SQL review with the environment's configuration. Linear in the number
/// of sheets: each sheet runs once, whatever its position.
struct PlanChecker {
    /// One task to check.
    struct Job: Sendable {
        var taskId: Int64
        var issueId: Int64
        var specId: String
        var database: TargetDatabase
        var sheet: String
        var sheetSHA256: String
    }

    /// The sheets that run on one database in one stage, in order; those with a job are checked,
    /// the others (tasks that already ran and failed, or are queued) only run before them.
    struct Group: Sendable {
        var database: TargetDatabase
        var entries: [(sheet: String, job: Job?)]
    }

    /// Checks and the facts they found.
    struct Outcome: Sendable {
        var checks: [PlanCheck]
        var facts: TaskCheckFacts
    }

    let options: PlanCheckOptions
    /// The environment's SQL review policy; nil when it has none (review is then skipped).
    let config: ReviewConfig?

    /// Checks every job of the group; the database is connected to, and the group dry-run, once.
    func run(_ group: Group) -> [Outcome] {
        let database = group.database
        let driver = TargetDrivers.driver(for: database.engine)
        let dialect: SQLDialect = database.engine == .postgres ? .postgres : .sqlite
        let jobs = group.entries.compactMap(\.job)
        let now = Date()
        // Connect (and read the schema SQLite's classifier prepares against).
        let schema: String
        do {
            schema = try driver.liveSchema(database)
        } catch {
            return jobs.map { job in
                Outcome(checks: [Self.check(job, .connect, [PlanCheckResult(status: .error, title: "cannot connect", content: "\(error)")], at: now)],
                        facts: Self.emptyFacts(job))
            }
        }
        let dryRuns = PlanCheckDryRun(group: group, options: options, dialect: dialect).run(driver)
        let rowCounts = RowCountCache(driver: driver, database: database)
        return jobs.map { job in
            check(job, schema: schema, dryRun: dryRuns[job.taskId] ?? ([], nil), rowCounts: rowCounts, driver: driver, dialect: dialect, at: now)
        }
    }

    static func check(_ job: Job, _ kind: PlanCheckKind, _ results: [PlanCheckResult], at: Date) -> PlanCheck {
        PlanCheck(taskId: job.taskId, specId: job.specId, database: job.database.ref.description, environment: job.database.environment,
                  kind: kind, status: results.map(\.status).max() ?? .success, results: results,
                  sheetSHA256: job.sheetSHA256, checkedAt: at)
    }

    static func emptyFacts(_ job: Job) -> TaskCheckFacts {
        TaskCheckFacts(taskId: job.taskId, issueId: job.issueId, specId: job.specId, database: job.database.ref.description,
                       environment: job.database.environment, engine: job.database.engine.rawValue, sqlTypes: [], categories: [],
                       tables: [], affectedRows: nil, affectedRowsExact: false, tableRows: [:], mixesDDLAndDML: false,
                       nonTransactional: false)
    }

    private func check(_ job: Job, schema: String, dryRun: PlanCheckDryRun.Share, rowCounts: RowCountCache,
                       driver: any TargetDriver, dialect: SQLDialect, at now: Date) -> Outcome {
        func check(_ kind: PlanCheckKind, _ results: [PlanCheckResult]) -> PlanCheck { Self.check(job, kind, results, at: now) }
        var facts = Self.emptyFacts(job)
        var checks = [check(.connect, [PlanCheckResult(status: .success, title: "connected", content: "\(job.database.ref) is reachable")])]

        // Classification; a sheet that does not split is reported by review and dry run alike.
        let classified = (try? SQLClassifier.classify(job.sheet, dialect: dialect, schema: dialect == .sqlite ? schema : nil)) ?? []

        // The sheet policy and the dry run (never of a sheet the policy refuses), then code the policy cannot read.
        let (dryRunResults, affected) = dryRun
        let opaque = SheetPolicy.opaque(in: job.sheet, engine: job.database.engine).map { s in
            PlanCheckResult(status: .success, title: "code the sheet policy cannot read",
                            content: "statement \(s.index + 1) is a DO block or a function body: what it runs is decided when it runs, so the "
                                + "sheet policy checks it only where Sluice's own tables are concerned; read it closely before approving",
                            statementIndex: s.index, line: s.line, column: s.column)
        }
        checks.append(check(.dryRun, dryRunResults + opaque))

        // Statement summary.
        facts.sqlTypes = classified.types
        facts.categories = [StatementCategory.ddl, .dml].filter { c in classified.contains { $0.category == c } }.map(\.rawValue)
        facts.tables = classified.tables
        facts.mixesDDLAndDML = classified.mixesDDLAndDML
        facts.nonTransactional = classified.contains { !$0.transactional }
        facts.tableRows = rowCounts.rows(of: classified.tables)
        if let affected {
            facts.affectedRows = affected.values.reduce(0, +)
            facts.affectedRowsExact = true
            facts.affectedRowsByStatement = affected
        } else {
            var estimates: [Int: Int64] = [:]
            var known = true
            for (index, statement) in classified.enumerated() {
                guard statement.writesData else { estimates[index] = 0; continue }
                guard let rows = try? driver.estimateAffectedRows(job.database, statement: statement.statement.text) else { known = false; break }
                estimates[index] = rows
            }
            facts.affectedRows = known ? estimates.values.reduce(0, +) : nil
            facts.affectedRowsByStatement = known ? estimates : nil
        }
        checks.append(check(.statementSummary, summary(classified, facts)))

        // Review, with the exact affected rows the dry run counted.
        guard let config else {
            checks.append(check(.review, [PlanCheckResult(status: .success, title: "no SQL review policy",
                                                          content: "environment \(job.database.environment) has no SQL review policy; set one to review its SQL")]))
            return Outcome(checks: checks, facts: facts)
        }
        let findings = SQLReviewer.review(job.sheet, dialect: dialect, config: config, schema: dialect == .sqlite ? schema : nil,
                                          affectedRows: affected ?? [:])
        let reviewResults = findings.map { f in
            PlanCheckResult(status: f.level == .error ? .error : .warning, title: f.rule, content: "\(f.message). Fix: \(f.fix)",
                            rule: f.rule, statementIndex: f.statementIndex, line: f.line, column: f.column)
        }
        checks.append(check(.review, reviewResults.isEmpty
            ? [PlanCheckResult(status: .success, title: "no findings", content: "\(classified.count) statement(s) pass SQL review")]
            : reviewResults))
        return Outcome(checks: checks, facts: facts)
    }

    private func summary(_ classified: [ClassifiedStatement], _ facts: TaskCheckFacts) -> [PlanCheckResult] {
        var results: [PlanCheckResult] = []
        let types = Dictionary(grouping: classified, by: \.type).map { "\($0.value.count) \($0.key)" }.sorted()
        results.append(PlanCheckResult(status: .success, title: "statements",
                                       content: "\(classified.count) statement(s): \(types.joined(separator: ", "))"))
        if !facts.tables.isEmpty {
            let tables = facts.tables.map { t in facts.tableRows[t].map { "\(t) (\($0) rows)" } ?? "\(t) (new)" }
            results.append(PlanCheckResult(status: .success, title: "tables", content: tables.joined(separator: ", ")))
        }
        let affected = facts.affectedRows.map { "\($0)\(facts.affectedRowsExact ? " (exact)" : " (estimated)")" } ?? "unknown"
        results.append(PlanCheckResult(status: .success, title: "affected rows", content: affected))
        return results
    }
}

/// Row counts of a database's tables, read once per table for all the jobs of a group (the dry
/// runs roll back, so the counts do not change between them).
final class RowCountCache {
    let driver: any TargetDriver
    let database: TargetDatabase
    private var known: [String: Int64] = [:]
    private var asked: Set<String> = []

    init(driver: any TargetDriver, database: TargetDatabase) { self.driver = driver; self.database = database }

    func rows(of tables: [String]) -> [String: Int64] {
        let missing = Set(tables).subtracting(asked)
        if !missing.isEmpty {
            asked.formUnion(missing)
            if let counts = try? driver.tableRowCounts(database, tables: Array(missing)) {
                for (table, count) in counts { known[table] = count.rows }
            }
        }
        var result: [String: Int64] = [:]
        for t in tables { if let n = known[t] { result[t] = n } }
        return result
    }
}
