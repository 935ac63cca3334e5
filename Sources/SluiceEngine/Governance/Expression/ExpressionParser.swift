import Foundation

/// Recursive-descent parser for conditions, with CEL's precedence:
/// `||` < `&&` < comparisons and `in` < `!` and unary `-` < `.method(…)`.
/// Nesting is bounded by ``ExpressionLimits/maxDepth``, so no input can overflow the stack.
struct ExpressionParser {
    private let source: String
    private let chars: [Character]
    private let tokens: [ExpressionToken]
    private var index = 0
    private var depth = 0
    /// Offset just past the last token consumed.
    private var lastEnd = 0

    static func parse(_ source: String) throws(ExpressionError) -> Expr {
        guard source.count <= ExpressionLimits.maxLength else {
            throw ExpressionError(.tooComplex, "the condition is too long (\(source.count) characters, at most \(ExpressionLimits.maxLength))",
                                  at: ExpressionLimits.maxLength, in: source)
        }
        var parser = ExpressionParser(source: source, tokens: try ExpressionLexer.tokens(source))
        let tree = try parser.parseOr()
        let rest = parser.current
        if rest.kind != .end {
            let hint: String
            switch rest.kind {
            case .rightParen: hint = "unexpected ')' with no matching '('"
            case .rightBracket: hint = "unexpected ']' with no matching '['"
            case .identifier, .string, .int, .keywordTrue, .keywordFalse:
                hint = "unexpected '\(rest.text)': join conditions with '&&' or '||'"
            default: hint = "unexpected '\(rest.text)'"
            }
            throw ExpressionError(.syntax, hint, at: rest.offset, in: source)
        }
        return tree
    }

    private init(source: String, tokens: [ExpressionToken]) {
        self.source = source
        self.chars = Array(source)
        self.tokens = tokens
    }

    private var current: ExpressionToken { tokens[index] }

    private mutating func advance() -> ExpressionToken {
        let t = tokens[index]
        if t.kind != .end {
            index += 1
            lastEnd = t.offset + t.text.count
        }
        return t
    }

    private func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(.syntax, message, at: offset, in: source)
    }

    private func text(from start: Int) -> String {
        start < lastEnd ? String(chars[start..<min(lastEnd, chars.count)]) : ""
    }

    /// Counts one nesting level; refuses past the limit.
    private mutating func enter(at offset: Int) throws(ExpressionError) {
        depth += 1
        if depth > ExpressionLimits.maxDepth {
            throw ExpressionError(.tooComplex, "the condition is nested too deeply (more than \(ExpressionLimits.maxDepth) levels); simplify it",
                                  at: offset, in: source)
        }
    }

    private mutating func leave() { depth -= 1 }

    // MARK: Grammar

    private mutating func parseOr() throws(ExpressionError) -> Expr {
        try enter(at: current.offset)
        defer { leave() }
        let start = current.offset
        var terms = [try parseAnd()]
        var opOffset = start
        while current.kind == .or {
            opOffset = advance().offset
            terms.append(try operand(after: "||") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseAnd() })
        }
        return terms.count == 1 ? terms[0] : Expr(node: .or(terms), offset: opOffset, text: text(from: start))
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expr {
        let start = current.offset
        var terms = [try parseRelation()]
        var opOffset = start
        while current.kind == .and {
            opOffset = advance().offset
            terms.append(try operand(after: "&&") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseRelation() })
        }
        return terms.count == 1 ? terms[0] : Expr(node: .and(terms), offset: opOffset, text: text(from: start))
    }

    private static func comparison(_ kind: ExpressionToken.Kind) -> Expr.Comparison? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        default: nil
        }
    }

    private mutating func parseRelation() throws(ExpressionError) -> Expr {
        let start = current.offset
        let left = try parseUnary()
        let result: Expr
        if let cmp = ExpressionParser.comparison(current.kind) {
            let op = advance()
            let right = try operand(after: op.text) { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUnary() }
            result = Expr(node: .compare(cmp, left, right), offset: op.offset, text: text(from: start))
        } else if current.kind == .keywordIn {
            let op = advance()
            let right = try operand(after: "in") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUnary() }
            result = Expr(node: .inList(left, right), offset: op.offset, text: text(from: start))
        } else {
            return left
        }
        if ExpressionParser.comparison(current.kind) != nil || current.kind == .keywordIn {
            throw error("comparisons cannot be chained: join them with '&&' or '||'", at: current.offset)
        }
        return result
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expr {
        let start = current.offset
        switch current.kind {
        case .not:
            _ = advance()
            try enter(at: start)
            defer { leave() }
            let operand = try operand(after: "!") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUnary() }
            return Expr(node: .not(operand), offset: start, text: text(from: start))
        case .minus:
            _ = advance()
            guard case .int(let n) = current.kind else {
                throw error("'-' must be followed by a number", at: current.offset)
            }
            _ = advance()
            return Expr(node: .int(-n), offset: start, text: text(from: start))
        default:
            return try parsePostfix()
        }
    }

    private mutating func parsePostfix() throws(ExpressionError) -> Expr {
        let start = current.offset
        var expr = try parsePrimary()
        var calls = 0
        while current.kind == .dot {
            let dot = advance()
            guard case .identifier(let name) = current.kind else {
                throw error("expected a method name after '.'", at: current.offset)
            }
            let nameToken = advance()
            guard current.kind == .leftParen else {
                throw error("'\(name)' is a method: call it as .\(name)(…)", at: current.offset)
            }
            calls += 1
            try enter(at: dot.offset)
            let args = try list(open: "(", close: .rightParen, closeText: ")")
            expr = Expr(node: .method(receiver: expr, name: name, arguments: args), offset: nameToken.offset, text: text(from: start))
        }
        for _ in 0..<calls { leave() }
        return expr
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Expr {
        let t = current
        switch t.kind {
        case .int(let n):
            _ = advance()
            return Expr(node: .int(n), offset: t.offset, text: t.text)
        case .string(let s):
            _ = advance()
            return Expr(node: .string(s), offset: t.offset, text: t.text)
        case .keywordTrue, .keywordFalse:
            _ = advance()
            return Expr(node: .bool(t.kind == .keywordTrue), offset: t.offset, text: t.text)
        case .identifier(let name):
            _ = advance()
            if current.kind == .leftParen {
                throw error("unknown function '\(name)': methods are called on a value, e.g. table_name.startsWith(\"tmp_\")", at: t.offset)
            }
            return Expr(node: .variable(name), offset: t.offset, text: t.text)
        case .leftParen:
            _ = advance()
            if current.kind == .rightParen { throw error("empty parentheses: expected a condition inside", at: current.offset) }
            let inner = try parseOr()
            guard current.kind == .rightParen else {
                throw error(current.kind == .end ? "missing ')' to close the '(' at column \(column(of: t.offset))"
                                                 : "expected ')' to close the '(' at column \(column(of: t.offset)), found '\(current.text)'",
                            at: current.offset)
            }
            _ = advance()
            return Expr(node: inner.node, offset: inner.offset, text: text(from: t.offset))
        case .leftBracket:
            try enter(at: t.offset)
            defer { leave() }
            let items = try list(open: "[", close: .rightBracket, closeText: "]")
            return Expr(node: .list(items), offset: t.offset, text: text(from: t.offset))
        case .end:
            throw error("unexpected end of condition: expected a value", at: t.offset)
        default:
            throw error("expected a value, found '\(t.text)'", at: t.offset)
        }
    }

    /// Parses `( a, b, … )` or `[ a, b, … ]` (a trailing comma is allowed) starting at the opener.
    private mutating func list(open: String, close: ExpressionToken.Kind, closeText: String) throws(ExpressionError) -> [Expr] {
        let opener = advance()
        var items: [Expr] = []
        while current.kind != close {
            if current.kind == .end {
                throw error("missing '\(closeText)' to close the '\(open)' at column \(column(of: opener.offset))", at: current.offset)
            }
            items.append(try parseOr())
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != close {
                throw error(current.kind == .end ? "missing '\(closeText)' to close the '\(open)' at column \(column(of: opener.offset))"
                                                 : "expected ',' or '\(closeText)', found '\(current.text)'", at: current.offset)
            }
        }
        _ = advance()
        return items
    }

    /// The operand of a binary or unary operator, with a clear message when it is missing.
    private mutating func operand(after op: String, _ parse: (inout ExpressionParser) throws(ExpressionError) -> Expr) throws(ExpressionError) -> Expr {
        switch current.kind {
        case .end: throw error("expected a value after '\(op)'", at: current.offset)
        case .rightParen, .rightBracket, .comma, .and, .or, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            throw error("expected a value after '\(op)', found '\(current.text)'", at: current.offset)
        default: return try parse(&self)
        }
    }

    private func column(of offset: Int) -> Int {
        ExpressionError(.syntax, "", at: offset, in: source).column
    }
}
