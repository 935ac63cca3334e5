import Foundation

/// A normalised dump of a database's schema: the same schema always gives the same text.
public enum SchemaSnapshot {
    static let historyTable = "sluice_migration_history"

    /// SQLite: every table, index, view and trigger (but SQLite's and Sluice's own `sluice_*`), ordered by kind
    /// then name, with whitespace runs collapsed outside quotes.
    static func dump(_ conn: SQLiteConnection) throws -> String {
        let rows = try conn.query("""
            SELECT type, name, sql FROM sqlite_schema
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sluice\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'sluice\\_%' ESCAPE '\\'
            ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name
            """)
        return rows.map { row in
            "\(normalise(row[2].text ?? ""));\n"
        }.joined()
    }

    /// Collapses whitespace outside quoted text and identifiers, and trims.
    static func normalise(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count)
        var quote: Character?
        var pendingSpace = false
        for ch in sql {
            if let q = quote {
                out.append(ch)
                if ch == q || (q == "[" && ch == "]") { quote = nil }
                continue
            }
            if ch.isWhitespace { pendingSpace = true; continue }
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            if ch == "'" || ch == "\"" || ch == "`" || ch == "[" { quote = ch }
            out.append(ch)
        }
        return out
    }

    /// A line diff of two dumps: lines only in `old` prefixed "- ", only in `new` "+ ", in order.
    public static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        // Longest common subsequence over lines; schemas are small.
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { i += 1; j += 1 }
            else if j < b.count, i == a.count || lcs[i][j + 1] > lcs[i + 1][j] { out.append("+ " + b[j]); j += 1 }
            else { out.append("- " + a[i]); i += 1 }
        }
        return out.joined(separator: "\n")
    }
}
