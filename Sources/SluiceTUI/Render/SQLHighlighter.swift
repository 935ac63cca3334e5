/// Splits one line of SQL into coloured spans: keywords, strings, numbers, comments, operators.
/// A light lexer: it only needs to look right, not to parse.
enum SQLHighlighter {
    static let keywords: Set<String> = [
        "select", "from", "where", "and", "or", "not", "insert", "into", "values", "update", "set", "delete",
        "create", "table", "index", "unique", "on", "drop", "alter", "add", "column", "rename", "to", "primary",
        "key", "foreign", "references", "default", "null", "if", "exists", "begin", "commit", "rollback",
        "transaction", "view", "trigger", "as", "join", "left", "right", "inner", "outer", "group", "by", "order",
        "having", "limit", "offset", "union", "all", "distinct", "case", "when", "then", "else", "end", "is", "in",
        "like", "between", "integer", "text", "real", "blob", "varchar", "int", "bigint", "boolean", "timestamp",
        "constraint", "check", "with", "returning", "vacuum", "concurrently", "schema", "type", "grant", "revoke",
        "cascade", "autoincrement", "collate", "asc", "desc", "true", "false", "numeric", "serial",
    ]

    /// `inBlockComment` carries a `/* … */` across lines.
    static func spans(_ line: String, inBlockComment: inout Bool) -> [Span] {
        var out: [Span] = []
        let chars = Array(line)
        var i = 0
        func emit(_ from: Int, _ to: Int, _ role: Role) {
            guard to > from else { return }
            let text = String(chars[from..<to])
            if let last = out.last, last.role == role { out[out.count - 1].text += text } else { out.append(Span(text, role)) }
        }
        while i < chars.count {
            let c = chars[i]
            if inBlockComment {
                let start = i
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { i += 1 }
                if i < chars.count { i += 2; inBlockComment = false }
                emit(start, i, .sqlComment)
            } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                emit(i, chars.count, .sqlComment); i = chars.count
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                inBlockComment = true
            } else if c == "'" || c == "\"" || c == "`" {
                let start = i
                i += 1
                while i < chars.count, chars[i] != c { i += 1 }
                i = min(chars.count, i + 1)
                emit(start, i, c == "'" ? .sqlString : .sqlIdentifier)
            } else if c.isNumber {
                let start = i
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                emit(start, i, .sqlNumber)
            } else if c.isLetter || c == "_" {
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                let word = String(chars[start..<i])
                emit(start, i, keywords.contains(word.lowercased()) ? .sqlKeyword : .sqlIdentifier)
            } else if "=<>!+-*/%|(),;.".contains(c) {
                emit(i, i + 1, .sqlOperator); i += 1
            } else {
                emit(i, i + 1, .sqlText); i += 1
            }
        }
        return out
    }
}
