import Foundation
import SluiceSQL

/// Runs the plan checks of one task against its database, through the engine's driver only:
/// connect, dry run (in a rolled-back transaction, after the sheets of the earlier tasks of the
/// same stage on that database, so a table they create is there), statement summary, and SQL
/// review with the environment's configuration.
struct PlanChecker {
    /// One task to check, with the SQL that runs before it on the same database in its stage.
    struct Job: Sendable {
        var taskId: Int64
        var issueId: Int64
        var specId: String
        var database: TargetDatabase
        var sheet: String
        var sheetSHA256: String
        var earlierSheets: [String]
    }

    /// Checks and the facts they found.
    struct Outcome: Sendable {
        var checks: [PlanCheck]
        var facts: TaskCheckFacts
    }

    let options: PlanCheckOptions
    /// The environment's SQL review policy; nil when it has none (review is then skipped).
    let config: ReviewConfig?

    func run(_ job: Job) -> Outcome {
        let driver = TargetDrivers.driver(for: job.database.engine)
        let dialect: SQLDialect = job.database.engine == .postgres ? .postgres : .sqlite
        let now = Date()
        func check(_ kind: PlanCheckKind, _ results: [PlanCheckResult]) -> PlanCheck {
            PlanCheck(taskId: job.taskId, specId: job.specId, database: job.database.ref.description, environment: job.database.environment,
                      kind: kind, status: results.map(\.status).max() ?? .success, results: results,
                      sheetSHA256: job.sheetSHA256, checkedAt: now)
        }
        var facts = TaskCheckFacts(taskId: job.taskId, issueId: job.issueId, specId: job.specId, database: job.database.ref.description,
                                   environment: job.database.environment, engine: job.database.engine.rawValue, sqlTypes: [], categories: [],
                                   tables: [], affectedRows: nil, affectedRowsExact: false, tableRows: [:], mixesDDLAndDML: false,
                                   nonTransactional: false)

        // Connect (and read the schema SQLite's classifier prepares against).
        let schema: String
        do {
            schema = try driver.liveSchema(job.database)
        } catch {
            let failed = check(.connect, [PlanCheckResult(status: .error, title: "cannot connect", content: "\(error)")])
            return Outcome(checks: [failed], facts: facts)
        }
        var checks = [check(.connect, [PlanCheckResult(status: .success, title: "connected", content: "\(job.database.ref) is reachable")])]

        // Classification; a sheet that does not split is reported by review and dry run alike.
        let classified = (try? SQLClassifier.classify(job.sheet, dialect: dialect, schema: dialect == .sqlite ? schema : nil)) ?? []

        // The sheet policy, then the dry run (never of a sheet the policy refuses).
        let refusals = SheetPolicy.violations(in: job.sheet, engine: job.database.engine)
        let (dryRunResults, affected) = refusals.isEmpty ? dryRun(job, driver: driver, dialect: dialect) : (refusals.map { v in
            PlanCheckResult(status: .error, title: "refused by the sheet policy",
                            content: "statement \(v.statementIndex + 1): \(v.construct) is refused: \(v.reason). \(v.hint)"
                                + (v.hint.hasSuffix(".") ? "" : ".") + " The dry run did not run.",
                            statementIndex: v.statementIndex, line: v.line, column: v.column)
        }, nil)
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
        if let counts = try? driver.tableRowCounts(job.database, tables: classified.tables) {
            facts.tableRows = counts.mapValues(\.rows)
        }
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

    /// The dry run's results, and the rows each statement of this sheet changed (nil unless it ran to the end).
    private func dryRun(_ job: Job, driver: any TargetDriver, dialect: SQLDialect) -> ([PlanCheckResult], [Int: Int64]?) {
        let prefix = job.earlierSheets.map { $0 + "\n;\n" }.joined()
        let prefixLines = LineIndex(prefix).lineCount - 1
        let prefixStatements = prefix.isEmpty ? 0 : ((try? StatementSplitter.split(prefix, dialect: dialect))?.count ?? 0)
        let report = driver.dryRun(job.database, sql: prefix + job.sheet, timeLimit: options.dryRunTimeLimit, cancel: CancellationHandle())
        let own = report.statements.filter { $0.index >= prefixStatements }
        switch report.outcome {
        case .success where report.mode == .explainOnly:
            let content = "limited to EXPLAIN: \(job.database.ref.instance) has no check role, so the sheet did not run (unapproved SQL never runs "
                + "with the instance's own privileges); its data changes were planned and nothing was read. "
                + "`sluice instance set \(job.database.ref.instance) --check-role ROLE` runs the full dry run as ROLE."
            return ([PlanCheckResult(status: .success, title: "dry run limited to EXPLAIN", content: content)], nil)
        case .success:
            var rows: [Int: Int64] = [:]
            for s in own { rows[s.index - prefixStatements] = s.affectedRows }
            let total = rows.values.reduce(0, +)
            let content = "\(own.count) statement(s) ran\(report.ranAs.map { " as check role \($0)" } ?? "") and were rolled back in "
                + "\(String(format: "%.0f", report.durationMs)) ms; \(total) row(s) affected"
            return ([PlanCheckResult(status: .success, title: "dry run passed", content: content)], rows)
        case .failed:
            guard let failure = report.failure else {
                return ([PlanCheckResult(status: .error, title: "dry run failed", content: report.note ?? "the dry run could not start")], nil)
            }
            if failure.statementIndex < prefixStatements {
                return ([PlanCheckResult(status: .warning, title: "dry run skipped",
                                         content: "an earlier spec on this database fails in its dry run, so this one could not be tried: \(failure.message)")], nil)
            }
            let index = failure.statementIndex - prefixStatements
            return ([PlanCheckResult(status: .error, title: "dry run failed",
                                     content: "statement \(index + 1) fails: \(failure.message); everything was rolled back",
                                     statementIndex: index, line: failure.line - prefixLines, column: failure.column)], nil)
        case .refused:
            guard let failure = report.failure, failure.statementIndex >= prefixStatements else {
                return ([PlanCheckResult(status: .warning, title: "dry run skipped",
                                         content: "an earlier spec on this database is refused by the sheet policy, so this one could not be tried")], nil)
            }
            return ([PlanCheckResult(status: .error, title: "refused by the sheet policy",
                                     content: "statement \(failure.statementIndex - prefixStatements + 1): \(failure.message)"
                                         + (failure.message.hasSuffix(".") ? "" : ".") + " Everything was rolled back.",
                                     statementIndex: failure.statementIndex - prefixStatements, line: failure.line - prefixLines, column: failure.column)], nil)
        case .timedOut, .canceled:
            let content = "skipped: " + (report.note ?? "stopped after \(options.dryRunTimeLimit) s") + "; nothing was changed"
            return ([PlanCheckResult(status: .warning, title: "dry run skipped", content: content)], nil)
        }
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
