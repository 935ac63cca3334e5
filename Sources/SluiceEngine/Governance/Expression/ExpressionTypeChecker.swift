import Foundation

/// Checks that a parsed condition is well typed, names only known variables and methods, and
/// yields true or false. Every error carries the position of the node at fault.
struct ExpressionTypeChecker {
    let source: String
    /// Variables the condition reads.
    private(set) var variables: Set<RiskVariable> = []
    /// Compiled `matches` patterns, by the offset of their method name.
    private(set) var patterns: [Int: CompiledPattern] = [:]

    static let methods = ["startsWith", "endsWith", "contains", "matches"]

    init(source: String) { self.source = source }

    private func error(_ message: String, at node: Expr) -> ExpressionError {
        ExpressionError(.type, message, at: node.offset, in: source)
    }

    /// Checks the whole condition: it must be a bool.
    mutating func checkCondition(_ root: Expr) throws(ExpressionError) {
        let t = try check(root)
        guard t == .bool else {
            throw ExpressionError(.type, "a condition must be true or false, but \(root.text) is \(Self.article(t))",
                                  at: 0, in: source)
        }
    }

    static func article(_ t: ExpressionType) -> String {
        switch t {
        case .int: "an int"
        case .list(nil): "an empty list"
        default: "a \(t)"
        }
    }

    mutating func check(_ e: Expr) throws(ExpressionError) -> ExpressionType {
        switch e.node {
        case .int: return .int
        case .string: return .string
        case .bool: return .bool
        case .variable(let name):
            guard let v = RiskVariable(rawValue: name) else {
                let known = RiskVariable.allCases.map(\.rawValue)
                let guess = Self.closest(name, in: known).map { " (did you mean \($0)?)" } ?? ""
                throw error("unknown variable '\(name)'\(guess); known variables: \(known.joined(separator: ", "))", at: e)
            }
            variables.insert(v)
            return v.type
        case .list(let items):
            var element: ExpressionType?
            for item in items {
                let t = try check(item)
                if case .list = t { throw error("a list cannot hold another list", at: item) }
                if t == .bool { throw error("a list holds strings or ints, not true/false", at: item) }
                if let el = element, el != t {
                    throw error("type mismatch: this list mixes \(el) and \(t) (\(item.text))", at: item)
                }
                element = t
            }
            return .list(element)
        case .not(let operand):
            let t = try check(operand)
            guard t == .bool else { throw error("type mismatch: '!' needs true/false, but \(operand.text) is \(Self.article(t))", at: e) }
            return .bool
        case .and(let terms), .or(let terms):
            let op = { if case .and = e.node { return "&&" } else { return "||" } }()
            for term in terms {
                let t = try check(term)
                guard t == .bool else {
                    throw error("type mismatch: '\(op)' joins true/false conditions, but \(term.text) is \(Self.article(t))", at: term)
                }
            }
            return .bool
        case .compare(let op, let left, let right):
            let l = try check(left), r = try check(right)
            if case .list = l { throw error("'\(op.rawValue)' cannot compare lists; use 'in' to test membership", at: e) }
            if case .list = r { throw error("'\(op.rawValue)' cannot compare with a list; write \(left.text) in \(right.text)", at: e) }
            guard l == r else {
                throw error("type mismatch: '\(op.rawValue)' compares \(left.text) (\(l)) with \(right.text) (\(r))", at: e)
            }
            if l == .bool && op != .equal && op != .notEqual {
                throw error("'\(op.rawValue)' cannot order true/false values", at: e)
            }
            return .bool
        case .inList(let left, let right):
            let l = try check(left), r = try check(right)
            guard case .list(let element) = r else {
                throw error("type mismatch: 'in' needs a list on its right, e.g. [\"a\", \"b\"], but \(right.text) is \(Self.article(r))", at: e)
            }
            if case .list = l { throw error("'in' looks for a single value, but \(left.text) is a list", at: e) }
            if let element, element != l {
                throw error("type mismatch: 'in' looks for \(left.text) (\(l)) in a list of \(element)", at: e)
            }
            return .bool
        case .method(let receiver, let name, let args):
            guard Self.methods.contains(name) else {
                let guess = Self.closest(name, in: Self.methods).map { " (did you mean \($0)?)" } ?? ""
                throw error("unknown method '\(name)'\(guess); string methods: \(Self.methods.joined(separator: ", "))", at: e)
            }
            let t = try check(receiver)
            guard t == .string else { throw error("type mismatch: \(name) works on strings, but \(receiver.text) is \(Self.article(t))", at: e) }
            guard args.count == 1 else { throw error("\(name) takes exactly one string argument, got \(args.count)", at: e) }
            let a = try check(args[0])
            guard a == .string else { throw error("type mismatch: \(name) needs a string argument, but \(args[0].text) is \(Self.article(a))", at: args[0]) }
            if name == "matches" {
                guard case .string(let pattern) = args[0].node else {
                    throw error("matches needs a literal pattern in quotes, so it can be checked when the rule is saved", at: args[0])
                }
                do {
                    patterns[e.offset] = CompiledPattern(try NSRegularExpression(pattern: pattern))
                } catch {
                    throw self.error("invalid regular expression \(args[0].text)", at: args[0])
                }
            }
            return .bool
        }
    }

    /// The candidate closest to `word` by edit distance, when it is a plausible typo.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where j <= b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}

/// A compiled regular expression; immutable, and NSRegularExpression is safe to share across threads.
final class CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }

    /// True when the pattern matches anywhere in `text` (RE2/CEL `matches` semantics).
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
