import Foundation
import GRDB

extension Workspace {
    /// The issue's risk: every active rule over every task × statement × table of every stage.
    func assessRisk(_ db: Database, issueId: Int64) throws -> RiskAssessment {
        let rules = try RiskRule.fetchAll(db, sql: "SELECT * FROM riskRule WHERE active = 1 ORDER BY id").compactMap { rule in
            // Conditions were checked when saved; one edited behind Sluice's back is skipped, loudly.
            do { return RiskEvaluator.CompiledRule(rule: rule, condition: try RiskCondition.compile(rule.condition)) } catch {
                logger.error("risk rule \(rule.id) has an invalid condition and is ignored: \(error)")
                return nil
            }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.id, t.sheet, t.type, st.environment, d.instance, d.name AS dbname, i.engine, iss.project, s.content
            FROM task t JOIN stage st ON st.id = t.stage JOIN targetDatabase d ON d.id = t.database
            JOIN instance i ON i.name = d.instance JOIN issue iss ON iss.id = t.issue JOIN sheet s ON s.id = t.sheet
            WHERE t.issue = ? ORDER BY st.position, t.position
            """, arguments: [issueId])
        let counts = try riskRowCounts(db, issueId: issueId)
        var profiles: [String: [StatementProfile]] = [:]
        var subjects: [RiskSubject] = []
        var specSources: Set<RiskSource> = []
        for row in rows {
            let engine = DatabaseEngine(rawValue: row["engine"]) ?? .sqlite
            let type = SpecType(rawValue: row["type"]) ?? .migrate
            specSources.insert(type == .data ? .dml : .ddl)
            let key = "\(row["sheet"] as Int64)/\(engine.rawValue)/\(type.rawValue)"
            let stmts = profiles[key] ?? RiskStatementClassifier.profiles(sql: row["content"], engine: engine, specType: type)
            profiles[key] = stmts
            let taskId: Int64 = row["id"]
            for stmt in stmts {
                let measured = counts[taskId]
                for table in stmt.tables.isEmpty ? [""] : stmt.tables {
                    let facts = RiskFacts(environmentId: row["environment"], projectId: row["project"], databaseName: row["dbname"],
                                          dbEngine: engine.rawValue.uppercased(), sqlType: stmt.sqlType, tableName: table,
                                          affectedRows: measured?.affectedRows(statement: stmt.index),
                                          tableRows: table.isEmpty ? nil : measured?.tableRows(table))
                    subjects.append(RiskSubject(taskId: taskId, database: "\(row["instance"] as String)/\(row["dbname"] as String)",
                                                statementIndex: stmt.index, source: stmt.source, facts: facts))
                }
            }
        }
        let defaults = RiskSource.allCases.filter(specSources.contains)
        return RiskEvaluator(rules: rules).assess(subjects, defaultSources: defaults.isEmpty ? [.ddl] : defaults)
    }

    /// Row counts measured for an issue's statements, by task and statement index.
    ///
    /// Plan checks measure `affected_rows` and `table_rows`, so the risk is assessed again once
    /// they are stored. Before anyone has approved, the flow follows the new risk; afterwards only
    /// a higher risk resets the approvals. Nothing changes once a task has started.
    func reassessRiskAfterChecks(_ db: Database, issueId: Int64) throws {
        let issue = try fetchIssue(issueId, db)
        guard issue.status == .open else { return }
        let started = try Bool.fetchOne(db, sql: "SELECT 1 FROM taskRun r JOIN task t ON t.id = r.task WHERE t.issue = ? LIMIT 1",
                                        arguments: [issueId]) ?? false
        guard !started else { return }
        let risk = try assessRisk(db, issueId: issueId)
        guard risk.level != issue.riskLevel || risk.reason != issue.riskReason else { return }
        let acted = try Bool.fetchOne(db, sql: "SELECT 1 FROM issueApproval WHERE issue = ? AND status != 'PENDING' LIMIT 1",
                                      arguments: [issueId]) ?? false
        if acted && risk.level <= issue.riskLevel { return }
        try recordEvent(db, issue: issueId, actor: Principal.system.email, kind: "RISK",
                        text: "risk reassessed with the row counts the plan checks measured")
        try computeApproval(db, issueId: issueId, assessed: risk)
    }

    /// What the plan checks measured, per task: rows each statement changes (exact from the dry
    /// run, or the planner's estimate) and rows in each table it touches. A task whose checks
    /// have not run (or could not count) is absent, so its conditions stay undecided.
    func riskRowCounts(_ db: Database, issueId: Int64) throws -> [Int64: MeasuredRows] {
        var counts: [Int64: MeasuredRows] = [:]
        for facts in try checkFacts(db, issue: issueId) {
            counts[facts.taskId] = MeasuredRows(affectedRows: facts.affectedRowsByStatement, tableRows: facts.tableRows)
        }
        return counts
    }
}

/// Row counts the plan checks measured on one task's database.
struct MeasuredRows: Sendable {
    /// Per statement index; nil when the dry run failed and no estimate exists.
    var affectedRows: [Int: Int64]?
    /// Per table name as the classifier named it; tables that do not exist yet are absent.
    var tableRows: [String: Int64]

    func affectedRows(statement index: Int) -> Int64? {
        guard let affectedRows else { return nil }
        return affectedRows[index] ?? 0 // a statement the dry run skipped (e.g. VACUUM) changes no rows
    }

    /// A table the checks did not find does not exist yet: it holds no rows.
    func tableRows(_ table: String) -> Int64 {
        if let n = tableRows[table] { return n }
        let bare = { (name: String) in String(name.split(separator: ".").last ?? Substring(name)).lowercased() }
        return tableRows.first { bare($0.key) == bare(table) }?.value ?? 0
    }
}
