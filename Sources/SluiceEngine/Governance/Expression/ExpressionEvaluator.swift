import Foundation

/// Evaluates a type-checked condition against facts, in three-valued (Kleene) logic: a fact that
/// was not measured is unknown, a comparison with an unknown is unknown, `false && unknown` is
/// false, `true || unknown` is true. Evaluation cannot fail: every error was found by the checker.
struct ExpressionEvaluator {
    let facts: RiskFacts
    let patterns: [Int: CompiledPattern]
    /// Variables whose unknown value was read.
    private(set) var unknownRead: Set<RiskVariable> = []

    init(facts: RiskFacts, patterns: [Int: CompiledPattern]) {
        self.facts = facts
        self.patterns = patterns
    }

    mutating func evaluate(_ e: Expr) -> ExpressionValue {
        switch e.node {
        case .int(let n): return .int(n)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .variable(let name):
            guard let v = RiskVariable(rawValue: name) else { return .unknown }
            let value = facts.value(of: v)
            if value == .unknown { unknownRead.insert(v) }
            return value
        case .list(let items):
            return .list(items.map { evaluate($0) })
        case .not(let operand):
            if case .bool(let b) = evaluate(operand) { return .bool(!b) }
            return .unknown
        case .and(let terms):
            var sawUnknown = false
            for term in terms {
                switch evaluate(term) {
                case .bool(false): return .bool(false)
                case .bool(true): continue
                default: sawUnknown = true
                }
            }
            return sawUnknown ? .unknown : .bool(true)
        case .or(let terms):
            var sawUnknown = false
            for term in terms {
                switch evaluate(term) {
                case .bool(true): return .bool(true)
                case .bool(false): continue
                default: sawUnknown = true
                }
            }
            return sawUnknown ? .unknown : .bool(false)
        case .compare(let op, let left, let right):
            return Self.compare(op, evaluate(left), evaluate(right))
        case .inList(let left, let right):
            let needle = evaluate(left)
            guard needle != .unknown, case .list(let items) = evaluate(right) else { return .unknown }
            if items.contains(needle) { return .bool(true) }
            return items.contains(.unknown) ? .unknown : .bool(false)
        case .method(let receiver, let name, let args):
            guard case .string(let s) = evaluate(receiver), let arg = args.first, case .string(let a) = evaluate(arg) else { return .unknown }
            switch name {
            case "startsWith": return .bool(s.hasPrefix(a))
            case "endsWith": return .bool(s.hasSuffix(a))
            case "contains": return .bool(a.isEmpty || s.contains(a))
            case "matches": return patterns[e.offset].map { .bool($0.matches(s)) } ?? .unknown
            default: return .unknown
            }
        }
    }

    static func compare(_ op: Expr.Comparison, _ l: ExpressionValue, _ r: ExpressionValue) -> ExpressionValue {
        let order: Int
        switch (l, r) {
        case let (.int(a), .int(b)): order = a < b ? -1 : (a == b ? 0 : 1)
        case let (.string(a), .string(b)): order = a < b ? -1 : (a == b ? 0 : 1)
        case let (.bool(a), .bool(b)):
            guard op == .equal || op == .notEqual else { return .unknown }
            order = a == b ? 0 : 1
        default: return .unknown
        }
        switch op {
        case .equal: return .bool(order == 0)
        case .notEqual: return .bool(order != 0)
        case .less: return .bool(order < 0)
        case .lessEqual: return .bool(order <= 0)
        case .greater: return .bool(order > 0)
        case .greaterEqual: return .bool(order >= 0)
        }
    }
}
