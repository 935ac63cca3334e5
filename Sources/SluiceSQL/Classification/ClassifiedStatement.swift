/// Whether a statement changes the schema, the data, or neither.
public enum StatementCategory: String, Sendable, Codable, Hashable {
    case ddl = "DDL"
    case dml = "DML"
    case other = "OTHER"
}

/// One statement of a sheet with what it does: its type, category, the tables it touches, and
/// whether it may run inside a transaction.
public struct ClassifiedStatement: Sendable, Hashable, Codable {
    /// The statement as cut from the sheet, with its position.
    public var statement: SQLStatement
    /// Bytebase-style statement type: `CREATE_TABLE`, `ALTER_TABLE`, `INSERT`, `SELECT`, …
    public var type: String
    public var category: StatementCategory
    /// Tables (and views) the statement reads or writes, as written (`schema.table` when qualified), in order of first mention.
    public var tables: [String]
    /// False for statements that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`, …).
    public var transactional: Bool
    /// Why the classification is less certain than usual (say, SQLite could not prepare the
    /// statement against the schema it was given, so its type came from its first keywords).
    public var note: String?

    public init(statement: SQLStatement, type: String, category: StatementCategory, tables: [String],
                transactional: Bool, note: String? = nil) {
        self.statement = statement
        self.type = type
        self.category = category
        self.tables = tables
        self.transactional = transactional
        self.note = note
    }

    public var index: Int { statement.index }
    public var line: Int { statement.line }
    public var column: Int { statement.column }

    /// Whether the statement writes data (DML other than a plain `SELECT` or `EXPLAIN`).
    public var writesData: Bool { category == .dml && type != "SELECT" }
}

extension Array where Element == ClassifiedStatement {
    /// Whether the sheet mixes schema changes with data changes (a plain `SELECT` does not count).
    public var mixesDDLAndDML: Bool {
        contains { $0.category == .ddl } && contains(where: \.writesData)
    }

    /// Every table the sheet touches, in order of first mention.
    public var tables: [String] {
        var seen = Set<String>()
        return flatMap(\.tables).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The distinct statement types, in order of first appearance.
    public var types: [String] {
        var seen = Set<String>()
        return map(\.type).filter { seen.insert($0).inserted }
    }
}

/// The category a statement type belongs to.
enum StatementTypes {
    static let dml: Set<String> = ["INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE", "SELECT", "REPLACE"]
    static let ddlPrefixes = ["CREATE_", "ALTER_", "DROP_", "RENAME", "COMMENT", "GRANT", "REVOKE", "REINDEX",
                              "CLUSTER", "REFRESH_", "SECURITY_LABEL", "IMPORT_FOREIGN_SCHEMA"]

    static func category(of type: String) -> StatementCategory {
        if dml.contains(type) { return .dml }
        if ddlPrefixes.contains(where: type.hasPrefix) { return .ddl }
        return .other
    }
}
