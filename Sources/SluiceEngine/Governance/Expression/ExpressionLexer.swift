import Foundation

/// One token of a condition, with its 0-based character offset.
struct ExpressionToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        case int(Int64)
        case string(String)
        case keywordTrue, keywordFalse, keywordIn
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case and, or, not, minus
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        case end
    }

    var kind: Kind
    var offset: Int
    /// The token as written (for messages).
    var text: String
}

/// Cuts a condition into tokens. Strings take single or double quotes with `\\`, `\"`, `\'`,
/// `\n`, `\t` escapes; integers are decimal and fit in 64 bits.
struct ExpressionLexer {
    let source: String
    private let chars: [Character]
    private var i = 0

    init(_ source: String) {
        self.source = source
        self.chars = Array(source)
    }

    static func tokens(_ source: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(source)
        var out: [ExpressionToken] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    private func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(.syntax, message, at: offset, in: source)
    }

    private func peek(_ ahead: Int = 0) -> Character? { i + ahead < chars.count ? chars[i + ahead] : nil }

    mutating func next() throws(ExpressionError) -> ExpressionToken {
        while let c = peek(), c.isWhitespace { i += 1 }
        let start = i
        guard let c = peek() else { return ExpressionToken(kind: .end, offset: i, text: "end of condition") }
        func op(_ kind: ExpressionToken.Kind, _ length: Int) -> ExpressionToken {
            i += length
            return ExpressionToken(kind: kind, offset: start, text: String(chars[start..<i]))
        }
        switch c {
        case "(": return op(.leftParen, 1)
        case ")": return op(.rightParen, 1)
        case "[": return op(.leftBracket, 1)
        case "]": return op(.rightBracket, 1)
        case ",": return op(.comma, 1)
        case ".": return op(.dot, 1)
        case "-": return op(.minus, 1)
        case "=":
            if peek(1) == "=" { return op(.equal, 2) }
            throw error("'=' is not an operator: compare with '=='", at: start)
        case "!": return peek(1) == "=" ? op(.notEqual, 2) : op(.not, 1)
        case "<": return peek(1) == "=" ? op(.lessEqual, 2) : op(.less, 1)
        case ">": return peek(1) == "=" ? op(.greaterEqual, 2) : op(.greater, 1)
        case "&":
            if peek(1) == "&" { return op(.and, 2) }
            throw error("'&' is not an operator: use '&&' for \"and\"", at: start)
        case "|":
            if peek(1) == "|" { return op(.or, 2) }
            throw error("'|' is not an operator: use '||' for \"or\"", at: start)
        case "\"", "'": return try string(quote: c)
        default:
            if c.isASCII && c.isNumber { return try number() }
            if c == "_" || (c.isASCII && c.isLetter) { return identifier() }
            throw error("unexpected character '\(c)'", at: start)
        }
    }

    private mutating func string(quote: Character) throws(ExpressionError) -> ExpressionToken {
        let start = i
        i += 1
        var value = ""
        while let c = peek() {
            if c == quote {
                i += 1
                return ExpressionToken(kind: .string(value), offset: start, text: String(chars[start..<i]))
            }
            if c == "\n" { break }
            if c == "\\" {
                guard let e = peek(1) else { break }
                switch e {
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "'": value.append("'")
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: throw error("unknown escape '\\\(e)' in a string (use \\\\, \\\", \\', \\n or \\t)", at: i)
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        throw error("unterminated string: the \(quote) opened here is never closed", at: start)
    }

    private mutating func number() throws(ExpressionError) -> ExpressionToken {
        let start = i
        while let c = peek(), c.isASCII, c.isNumber { i += 1 }
        if let c = peek(), c == "_" || (c.isASCII && c.isLetter) {
            throw error("a number cannot run into a name ('\(String(chars[start...i]))')", at: start)
        }
        if peek() == ".", let d = peek(1), d.isASCII, d.isNumber {
            throw error("only whole numbers are supported", at: start)
        }
        let text = String(chars[start..<i])
        guard let value = Int64(text) else { throw error("the number \(text) is too large (at most \(Int64.max))", at: start) }
        return ExpressionToken(kind: .int(value), offset: start, text: text)
    }

    private mutating func identifier() -> ExpressionToken {
        let start = i
        while let c = peek(), c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) { i += 1 }
        let text = String(chars[start..<i])
        let kind: ExpressionToken.Kind
        switch text {
        case "true": kind = .keywordTrue
        case "false": kind = .keywordFalse
        case "in": kind = .keywordIn
        default: kind = .identifier(text)
        }
        return ExpressionToken(kind: kind, offset: start, text: text)
    }
}
