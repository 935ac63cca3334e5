import Foundation

/// A risk rule's condition, parsed and type-checked once (when the rule is saved).
public struct RiskCondition: Sendable {
    /// How a condition came out for one set of facts.
    public enum Outcome: Equatable, Sendable {
        case matched
        case notMatched
        /// The answer depends on facts that were not measured (row counts before plan checks).
        case undecided(missing: [RiskVariable])
    }

    public let text: String
    /// The variables the condition reads (e.g. to know whether row counts are needed).
    public let variables: Set<RiskVariable>
    let root: Expr
    let patterns: [Int: CompiledPattern]

    /// Parses and type-checks a condition; the error says what is wrong and at which column.
    public static func compile(_ text: String) throws(ExpressionError) -> RiskCondition {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ExpressionError(.syntax, "the condition is empty: write e.g. environment_id == \"prod\" (or true for every change)",
                                  at: 0, in: text)
        }
        let root = try ExpressionParser.parse(text)
        var checker = ExpressionTypeChecker(source: text)
        try checker.checkCondition(root)
        return RiskCondition(text: text, variables: checker.variables, root: root, patterns: checker.patterns)
    }

    public func evaluate(_ facts: RiskFacts) -> Outcome {
        var evaluator = ExpressionEvaluator(facts: facts, patterns: patterns)
        switch evaluator.evaluate(root) {
        case .bool(true): return .matched
        case .bool(false): return .notMatched
        default: return .undecided(missing: evaluator.unknownRead.sorted { $0.rawValue < $1.rawValue })
        }
    }
}
