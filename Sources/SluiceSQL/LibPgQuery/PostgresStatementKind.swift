/// What kind of statement a PostgreSQL statement is, read from its parse tree.
public enum PostgresStatementKind {
    /// Whether `statement` reads or changes rows without changing the schema (SELECT, INSERT,
    /// UPDATE, DELETE, MERGE): what EXPLAIN can plan. False for anything else or what does not parse.
    public static func isDataStatement(_ statement: String) -> Bool {
        guard let node = (try? PgParser.parse(statement))?.first?.node else { return false }
        return node.hasTag("SelectStmt") || node.hasTag("InsertStmt") || node.hasTag("UpdateStmt")
            || node.hasTag("DeleteStmt") || node.hasTag("MergeStmt")
    }
}

extension PostgresStatementKind {
    /// Whether `statement` carries code whose effects its text does not show: a `DO` block or a
    /// function or procedure body (what it runs is decided when it runs).
    public static func carriesOpaqueCode(_ statement: String) -> Bool {
        guard let node = (try? PgParser.parse(statement))?.first?.node else { return false }
        return node.hasTag("DoStmt") || node.hasTag("CreateFunctionStmt")
    }
}
