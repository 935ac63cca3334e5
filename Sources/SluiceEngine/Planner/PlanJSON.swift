/// A strict JSON reader for plan files. Unlike `JSONSerialization` it keeps each object's keys in
/// order with their line and column, refuses a key given twice (which a reviewer would read one way
/// and a parser another), and names the line and column of any syntax error.
enum PlanJSON: Equatable {
    case object([Member])
    case array([PlanJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable {
        var key: String
        var value: PlanJSON
        var line: Int
        var column: Int
    }

    /// How the value is called in refusals.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }

    struct SyntaxError: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// Nesting deeper than a plan needs is refused before it can exhaust the stack.
    static let maxDepth = 32

    static func parse(_ text: String) throws -> PlanJSON {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.i < reader.scalars.count { throw reader.error("unexpected text after the plan's closing bracket") }
        return value
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var i = 0
        var line = 1
        var lineStart = 0

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, line: line, column: i - lineStart + 1) }

        mutating func skipSpace() {
            while i < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[i]) {
                if scalars[i] == "\n" { line += 1; lineStart = i + 1 }
                i += 1
            }
        }

        mutating func value(depth: Int) throws -> PlanJSON {
            guard depth < PlanJSON.maxDepth else { throw error("nested more than \(PlanJSON.maxDepth) levels deep") }
            guard i < scalars.count else { throw error("the plan ends where a value should be") }
            switch scalars[i] {
            case "{": return try object(depth: depth)
            case "[": return try array(depth: depth)
            case "\"": return .string(try string())
            case "t": try word("true"); return .bool(true)
            case "f": try word("false"); return .bool(false)
            case "n": try word("null"); return .null
            case "-", "0"..."9": return .number(try number())
            default: throw error("'\(TerminalText.line(String(scalars[i])))' cannot start a value (strings need double quotes)")
            }
        }

        mutating func object(depth: Int) throws -> PlanJSON {
            i += 1
            var members: [Member] = []
            skipSpace()
            if i < scalars.count, scalars[i] == "}" { i += 1; return .object([]) }
            while true {
                skipSpace()
                if !members.isEmpty, i < scalars.count, scalars[i] == "}" { throw error("a comma before '}' (JSON allows no trailing comma)") }
                guard i < scalars.count, scalars[i] == "\"" else { throw error("expected a key in double quotes") }
                let (keyLine, keyColumn) = (line, i - lineStart + 1)
                let key = try string()
                if members.contains(where: { $0.key == key }) {
                    throw SyntaxError(message: "the key '\(TerminalText.line(key))' is given twice in one object", line: keyLine, column: keyColumn)
                }
                skipSpace()
                guard i < scalars.count, scalars[i] == ":" else { throw error("expected ':' after the key '\(TerminalText.line(key))'") }
                i += 1
                skipSpace()
                members.append(Member(key: key, value: try value(depth: depth + 1), line: keyLine, column: keyColumn))
                skipSpace()
                guard i < scalars.count else { throw error("the plan ends inside an object (a '}' is missing)") }
                if scalars[i] == "," { i += 1; continue }
                if scalars[i] == "}" { i += 1; return .object(members) }
                throw error("expected ',' or '}' after a value")
            }
        }

        mutating func array(depth: Int) throws -> PlanJSON {
            i += 1
            var items: [PlanJSON] = []
            skipSpace()
            if i < scalars.count, scalars[i] == "]" { i += 1; return .array([]) }
            while true {
                skipSpace()
                if !items.isEmpty, i < scalars.count, scalars[i] == "]" { throw error("a comma before ']' (JSON allows no trailing comma)") }
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < scalars.count else { throw error("the plan ends inside an array (a ']' is missing)") }
                if scalars[i] == "," { i += 1; continue }
                if scalars[i] == "]" { i += 1; return .array(items) }
                throw error("expected ',' or ']' after a value")
            }
        }

        mutating func string() throws -> String {
            i += 1
            var out = String.UnicodeScalarView()
            while i < scalars.count {
                let c = scalars[i]
                if c == "\"" { i += 1; return String(out) }
                if c.value < 0x20 { throw error("a control character inside a string (write it as an escape, e.g. \\n)") }
                if c != "\\" { out.append(c); i += 1; continue }
                i += 1
                guard i < scalars.count else { break }
                let e = scalars[i]
                i += 1
                switch e {
                case "\"", "\\", "/": out.append(e)
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var unit = try hex4()
                    if (0xD800...0xDBFF).contains(unit) {
                        guard i + 1 < scalars.count, scalars[i] == "\\", scalars[i + 1] == "u" else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(unit) else { throw error("a lone UTF-16 surrogate in a \\u escape") }
                    out.append(scalar)
                default: throw error("'\\\(TerminalText.line(String(e)))' is not a JSON escape")
                }
            }
            throw error("a string is not closed (a '\"' is missing)")
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i..<i + 4])), radix: 16) else {
                throw error("\\u must be followed by four hexadecimal digits")
            }
            i += 4
            return v
        }

        mutating func word(_ w: String) throws {
            let ws = Array(w.unicodeScalars)
            guard i + ws.count <= scalars.count, Array(scalars[i..<i + ws.count]) == ws else { throw error("expected '\(w)'") }
            i += ws.count
        }

        mutating func number() throws -> String {
            let start = i
            while i < scalars.count, "+-0123456789.eE".unicodeScalars.contains(scalars[i]) { i += 1 }
            let text = String(String.UnicodeScalarView(scalars[start..<i]))
            guard Double(text) != nil else { throw error("'\(text)' is not a number") }
            return text
        }
    }
}
