import Foundation
import SluiceSQL

/// What risk rules need to know about one statement: its type, its source and the tables it touches.
struct StatementProfile: Equatable, Sendable {
    var index: Int
    /// Bytebase-style, e.g. `ALTER_TABLE`, `CREATE_INDEX`, `UPDATE` (from `SQLClassifier`).
    var sqlType: String
    var source: RiskSource
    var tables: [String]
}

/// Classifies statements for risk evaluation through SluiceSQL's `SQLClassifier` (PostgreSQL's
/// parse tree, SQLite's authorizer). The only place the risk code looks at SQL text.
enum RiskStatementClassifier {
    static func profiles(sql: String, engine: DatabaseEngine, specType: SpecType) -> [StatementProfile] {
        guard specType != .baseline else { return [] }
        // A statement that neither changes the schema nor writes data (SELECT, PRAGMA, …) is
        // judged as the kind of change its spec declares.
        let fallback: RiskSource = specType == .data ? .dml : .ddl
        let dialect: SQLDialect = engine == .postgres ? .postgres : .sqlite
        guard let statements = try? SQLClassifier.classify(sql, dialect: dialect) else {
            return [StatementProfile(index: 0, sqlType: "UNKNOWN", source: fallback, tables: [])]
        }
        return statements.map { s in
            let source: RiskSource
            if s.type == "CREATE_DATABASE" {
                source = .createDatabase
            } else if s.category == .ddl {
                source = .ddl
            } else if s.writesData {
                source = .dml
            } else {
                source = fallback
            }
            // table_name is the bare table name, as Bytebase's risk variables have it.
            var seen = Set<String>()
            let tables = s.tables.compactMap { $0.split(separator: ".").last.map(String.init) }.filter { seen.insert($0).inserted }
            return StatementProfile(index: s.index, sqlType: s.type, source: source, tables: tables)
        }
    }
}
