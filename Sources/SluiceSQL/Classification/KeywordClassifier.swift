/// A fallback that classifies a statement by its leading keywords, for statements the database
/// itself could not prepare or parse (a syntax error, a table missing from the schema given).
enum KeywordClassifier {
    static func classify(_ statement: SQLStatement, note: String?) -> ClassifiedStatement {
        let words = leadingWords(statement.text, count: 6)
        let type = statementType(words)
        let upper = statement.text.uppercased()
        let nonTransactional = type == "VACUUM" || type == "BEGIN" || type == "COMMIT" || type == "ROLLBACK"
            || upper.contains("CONCURRENTLY") || type == "ATTACH" || type == "DETACH"
        return ClassifiedStatement(
            statement: statement, type: type, category: StatementTypes.category(of: type),
            tables: [], transactional: !nonTransactional, note: note)
    }

    static func statementType(_ words: [String]) -> String {
        guard let first = words.first else { return "UNKNOWN" }
        var rest = Array(words.dropFirst())
        switch first {
        case "CREATE", "DROP", "ALTER":
            let skip: Set<String> = ["OR", "REPLACE", "TEMP", "TEMPORARY", "UNIQUE", "UNLOGGED", "VIRTUAL", "IF", "NOT", "EXISTS", "GLOBAL", "LOCAL"]
            rest = rest.filter { !skip.contains($0) }
            guard let object = rest.first else { return first }
            if object == "MATERIALIZED" { return first + "_MATERIALIZED_VIEW" }
            return first + "_" + object
        case "WITH":
            for word in rest where ["INSERT", "UPDATE", "DELETE", "SELECT"].contains(word) { return word }
            return "SELECT"
        case "INSERT", "UPDATE", "DELETE", "SELECT", "VALUES", "REPLACE", "MERGE", "TRUNCATE", "COPY":
            return first == "VALUES" ? "SELECT" : first
        case "START", "BEGIN": return "BEGIN"
        case "END": return "COMMIT"
        default: return first
        }
    }

    /// The first `count` words of `text` (upper-cased), skipping comments.
    static func leadingWords(_ text: String, count: Int) -> [String] {
        var words: [String] = []
        var current = ""
        var iterator = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar?
        var inLineComment = false
        var inBlockComment = false
        while let c = iterator.next(), words.count < count {
            defer { previous = c }
            if inLineComment { if c == "\n" { inLineComment = false }; continue }
            if inBlockComment { if previous == "*" && c == "/" { inBlockComment = false }; continue }
            if c == "-" && previous == "-" { inLineComment = true; current = ""; continue }
            if c == "*" && previous == "/" { inBlockComment = true; current = ""; continue }
            if c.properties.isAlphabetic || c == "_" {
                current.unicodeScalars.append(c)
            } else {
                if !current.isEmpty { words.append(current.uppercased()); current = "" }
                if c != " " && c != "\n" && c != "\t" && c != "\r" && c != "-" && c != "/" { break }
            }
        }
        if !current.isEmpty, words.count < count { words.append(current.uppercased()) }
        return words
    }
}
