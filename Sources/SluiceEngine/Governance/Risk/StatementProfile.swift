import Foundation
import SluiceSQL

/// What risk rules need to know about one statement: its type, its source and the tables it touches.
struct StatementProfile: Equatable, Sendable {
    var index: Int
    /// Bytebase-style, e.g. `ALTER_TABLE`, `CREATE_INDEX`, `UPDATE`.
    var sqlType: String
    var source: RiskSource
    var tables: [String]
}

/// Classifies statements for risk evaluation.
///
/// INTERIM: this reads leading keywords of each statement cut by `StatementSplitter`. It is the one
/// place to swap for SluiceSQL's `SQLClassifier` (issue 4) when that lands; nothing else in the
/// risk code looks at SQL text.
enum RiskStatementClassifier {
    static func profiles(sql: String, engine: DatabaseEngine, specType: SpecType) -> [StatementProfile] {
        let fallback: RiskSource = specType == .data ? .dml : .ddl
        guard specType != .baseline else { return [] }
        let dialect: SQLDialect = engine == .postgres ? .postgres : .sqlite
        guard let statements = try? StatementSplitter.split(sql, dialect: dialect) else {
            return [StatementProfile(index: 0, sqlType: "UNKNOWN", source: fallback, tables: [])]
        }
        return statements.map { profile(of: $0.text, index: $0.index, fallback: fallback) }
    }

    static func profile(of text: String, index: Int, fallback: RiskSource) -> StatementProfile {
        let words = KeywordScanner.words(text)
        let upper = words.map { $0.uppercased() }
        func word(_ i: Int) -> String { i < upper.count ? upper[i] : "" }
        /// The name following position `i`, skipping IF [NOT] EXISTS and ONLY; the last dotted part.
        func name(after i: Int) -> String? {
            var j = i
            while ["IF", "NOT", "EXISTS", "ONLY", "CONCURRENTLY"].contains(word(j)) { j += 1 }
            guard j < words.count else { return nil }
            return words[j].split(separator: ".").last.map(String.init)
        }
        func tableAfter(_ keyword: String) -> [String] {
            guard let k = upper.firstIndex(of: keyword), let n = name(after: k + 1) else { return [] }
            return [n]
        }
        switch word(0) {
        case "CREATE":
            var i = 1
            if word(1) == "OR" && word(2) == "REPLACE" { i = 3 }
            while ["TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL", "UNLOGGED", "MATERIALIZED", "GLOBAL", "LOCAL"].contains(word(i)) { i += 1 }
            let object = word(i)
            switch object {
            case "DATABASE": return .init(index: index, sqlType: "CREATE_DATABASE", source: .createDatabase, tables: [])
            case "TABLE": return .init(index: index, sqlType: "CREATE_TABLE", source: .ddl, tables: name(after: i + 1).map { [$0] } ?? [])
            case "INDEX", "TRIGGER": return .init(index: index, sqlType: "CREATE_\(object)", source: .ddl, tables: tableAfter("ON"))
            case "": return .init(index: index, sqlType: "CREATE", source: .ddl, tables: [])
            default: return .init(index: index, sqlType: "CREATE_\(object)", source: .ddl, tables: [])
            }
        case "ALTER", "DROP":
            let object = word(1)
            let tables = object == "TABLE" ? (name(after: 2).map { [$0] } ?? []) : []
            return .init(index: index, sqlType: object.isEmpty ? word(0) : "\(word(0))_\(object)", source: .ddl, tables: tables)
        case "TRUNCATE":
            let i = word(1) == "TABLE" ? 2 : 1
            return .init(index: index, sqlType: "TRUNCATE", source: .ddl, tables: name(after: i).map { [$0] } ?? [])
        case "COMMENT", "RENAME", "REINDEX":
            return .init(index: index, sqlType: word(0), source: .ddl, tables: [])
        case "INSERT", "REPLACE":
            return .init(index: index, sqlType: "INSERT", source: .dml, tables: tableAfter("INTO"))
        case "UPDATE":
            let i = word(1) == "OR" ? 3 : 1
            return .init(index: index, sqlType: "UPDATE", source: .dml, tables: name(after: i).map { [$0] } ?? [])
        case "DELETE":
            return .init(index: index, sqlType: "DELETE", source: .dml, tables: tableAfter("FROM"))
        case "WITH":
            // A data-modifying CTE statement: its verb is the first DML keyword at the top level.
            for verb in ["INSERT", "UPDATE", "DELETE"] where upper.contains(verb) {
                let rest = Array(words[(upper.firstIndex(of: verb) ?? 0)...]).joined(separator: " ")
                return profile(of: rest, index: index, fallback: fallback)
            }
            return .init(index: index, sqlType: "SELECT", source: fallback, tables: [])
        case "":
            return .init(index: index, sqlType: "UNKNOWN", source: fallback, tables: [])
        default:
            return .init(index: index, sqlType: word(0), source: fallback, tables: [])
        }
    }
}

/// The top-level words of a statement (outside parentheses), with comments and string literals
/// skipped, quoted identifiers unquoted and dotted names (`main.orders`) kept as one word.
enum KeywordScanner {
    static func words(_ text: String) -> [String] {
        let c = Array(text)
        var out: [String] = []
        var i = 0, depth = 0
        func at(_ k: Int) -> Character? { k < c.count ? c[k] : nil }
        func startsName(_ k: Int) -> Bool {
            guard let ch = at(k) else { return false }
            return ch.isLetter || ch == "_" || ch == "\"" || ch == "`" || ch == "["
        }
        /// Reads one plain or quoted name part starting at k.
        func part(_ k: Int) -> (String, Int) {
            var j = k
            if let open = at(j), open == "\"" || open == "`" || open == "[" {
                let close: Character = open == "[" ? "]" : open
                var ident = ""
                j += 1
                while j < c.count && c[j] != close { ident.append(c[j]); j += 1 }
                return (ident, j + 1)
            }
            var word = ""
            while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "_" || c[j] == "$" { word.append(c[j]); j += 1 }
            return (word, j)
        }
        while i < c.count {
            let ch = c[i]
            if ch == "-" && at(i + 1) == "-" {
                while i < c.count && c[i] != "\n" { i += 1 }
            } else if ch == "/" && at(i + 1) == "*" {
                i += 2
                while i < c.count && !(c[i] == "*" && at(i + 1) == "/") { i += 1 }
                i += 2
            } else if ch == "'" {
                i += 1
                while i < c.count {
                    if c[i] == "'" { if at(i + 1) == "'" { i += 2; continue }; break }
                    i += 1
                }
                i += 1
            } else if ch == "(" {
                depth += 1; i += 1
            } else if ch == ")" {
                depth = max(0, depth - 1); i += 1
            } else if startsName(i) {
                var (name, next) = part(i)
                while at(next) == ".", startsName(next + 1) {
                    let (more, after) = part(next + 1)
                    name += "." + more
                    next = after
                }
                i = next
                if depth == 0 { out.append(name) }
            } else {
                i += 1
            }
        }
        return out
    }
}
