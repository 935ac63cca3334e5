/// Says what each statement of a sheet does: its type, DDL or DML, the tables it touches, and
/// whether it may run in a transaction.
///
/// PostgreSQL statements are read from PostgreSQL's own parse tree (libpg_query); SQLite
/// statements from SQLite's authorizer callback while each is prepared against an in-memory
/// copy of the schema (schema changes earlier in the sheet are applied to the copy, so later
/// statements prepare).
public enum SQLClassifier {
    /// Splits and classifies `sql`.
    ///
    /// - Parameter schema: SQLite only: the target's schema as SQL (`CREATE …` statements) to
    ///   prepare against; nil for an empty database.
    /// - Throws: ``SQLSplitError`` when the sheet cannot be split.
    public static func classify(_ sql: String, dialect: SQLDialect, schema: String? = nil) throws -> [ClassifiedStatement] {
        // PostgreSQL's parser splits and classifies a script that parses in one pass.
        if dialect == .postgres, let classified = PostgresParsedScript.splitAndClassify(sql) { return classified }
        let statements = try StatementSplitter.scannerSplit(sql, dialect: dialect)
        return classify(statements, dialect: dialect, schema: schema)
    }

    /// Classifies statements already split.
    public static func classify(_ statements: [SQLStatement], dialect: SQLDialect, schema: String? = nil) -> [ClassifiedStatement] {
        switch dialect {
        case .postgres:
            return PostgresClassifier.classify(statements)
        case .sqlite:
            return SQLiteClassifier(schema: schema).classify(statements)
        }
    }
}
