import Foundation

/// The outcome of evaluating every active risk rule against every task × statement of an issue.
public struct RiskAssessment: Sendable, Equatable {
    /// The highest level over all tasks of all stages.
    public var level: RiskLevel
    /// The sources whose statements reach `level` (the approval flow is picked among them).
    public var sources: [RiskSource]
    /// One line saying why: the rule, task, database and statement that decided the level.
    public var reason: String
}

/// One task × statement × table to judge.
struct RiskSubject {
    var taskId: Int64
    var database: String
    var statementIndex: Int
    var source: RiskSource
    var facts: RiskFacts
}

/// Evaluates compiled rules over subjects. Pure: no database access, so it is tested directly.
struct RiskEvaluator {
    struct CompiledRule {
        var rule: RiskRule
        var condition: RiskCondition
    }

    let rules: [CompiledRule]

    /// The highest level over the subjects. A condition that depends on an unmeasured fact (row
    /// counts before plan checks ran) counts as matched: risk errs on the high side, and the
    /// reason says which facts were assumed.
    func assess(_ subjects: [RiskSubject], defaultSources: [RiskSource]) -> RiskAssessment {
        var best: (level: RiskLevel, subject: RiskSubject, rule: RiskRule, missing: [RiskVariable])?
        var levelBySource: [RiskSource: RiskLevel] = [:]
        var matchCount = 0
        for subject in subjects {
            var level = RiskLevel.low
            for compiled in rules where compiled.rule.source == subject.source {
                let missing: [RiskVariable]
                switch compiled.condition.evaluate(subject.facts) {
                case .notMatched: continue
                case .matched: missing = []
                case .undecided(let m): missing = m
                }
                matchCount += 1
                level = max(level, compiled.rule.level)
                if best.map({ compiled.rule.level > $0.level }) ?? true {
                    best = (compiled.rule.level, subject, compiled.rule, missing)
                }
            }
            levelBySource[subject.source] = max(levelBySource[subject.source] ?? .low, level)
        }
        guard let best else {
            let sources = levelBySource.isEmpty ? defaultSources : RiskSource.allCases.filter { levelBySource[$0] != nil }
            let why = rules.isEmpty ? "no active risk rule" : "no risk rule matched"
            return RiskAssessment(level: .low, sources: sources, reason: why)
        }
        let sources = RiskSource.allCases.filter { levelBySource[$0] == best.level }
        let s = best.subject
        var reason = "rule \"\(best.rule.title)\" matched task #\(s.taskId) on \(s.database), statement \(s.statementIndex + 1) (\(s.facts.sqlType)"
        reason += s.facts.tableName.isEmpty ? ")" : " \(s.facts.tableName))"
        if !best.missing.isEmpty {
            reason += "; assumed, since \(best.missing.map(\.rawValue).joined(separator: " and ")) not measured yet"
        }
        if matchCount > 1 { reason += "; \(matchCount) matches in all" }
        return RiskAssessment(level: best.level, sources: sources, reason: reason)
    }
}
