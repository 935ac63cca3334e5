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
                let measured = counts[taskId]?[stmt.index]
                for table in stmt.tables.isEmpty ? [""] : stmt.tables {
                    let facts = RiskFacts(environmentId: row["environment"], projectId: row["project"], databaseName: row["dbname"],
                                          dbEngine: engine.rawValue.uppercased(), sqlType: stmt.sqlType, tableName: table,
                                          affectedRows: measured?.affectedRows, tableRows: measured?.tableRows[table])
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
    /// HOOK for the plan checks (issue 4): they count affected and table rows per task; until they
    /// store them, nothing is measured and conditions on `affected_rows` / `table_rows` are
    /// undecided (treated as matching, see `RiskEvaluator`).
    func riskRowCounts(_ db: Database, issueId: Int64) throws -> [Int64: [Int: MeasuredRows]] {
        [:]
    }
}

/// Row counts of one statement on one task's database.
struct MeasuredRows: Sendable {
    var affectedRows: Int64?
    var tableRows: [String: Int64]
}
