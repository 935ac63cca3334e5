import GRDBSQLite

/// A SQLite `CREATE TABLE` run alone in a scratch in-memory database, so SQLite itself says
/// which columns, types, NOT NULL flags and primary key the statement declares.
struct SQLiteTableProbe {
    struct Column: Sendable {
        var name: String
        var type: String
        var notNull: Bool
        var primaryKey: Bool
    }

    var table: String
    var columns: [Column]
    var withoutRowid: Bool

    /// The table a `CREATE TABLE` statement declares; nil for anything SQLite will not create alone.
    static func probe(_ statement: ClassifiedStatement) -> SQLiteTableProbe? {
        guard statement.type == "CREATE_TABLE", let table = statement.tables.first else { return nil }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else { return nil }
        defer { sqlite3_close_v2(handle) }
        guard sqlite3_exec(handle, statement.statement.text, nil, nil, nil) == SQLITE_OK else { return nil }
        var columns: [Column] = []
        var prepared: OpaquePointer?
        let quoted = "'" + table.replacingOccurrences(of: "'", with: "''") + "'"
        guard sqlite3_prepare_v2(handle, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(\(quoted))", -1, &prepared, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_finalize(prepared) }
        while sqlite3_step(prepared) == SQLITE_ROW {
            columns.append(Column(name: String(cString: sqlite3_column_text(prepared, 0)),
                                  type: sqlite3_column_text(prepared, 1).map { String(cString: $0) } ?? "",
                                  notNull: sqlite3_column_int(prepared, 2) != 0, primaryKey: sqlite3_column_int(prepared, 3) != 0))
        }
        let upper = statement.statement.text.uppercased()
        return SQLiteTableProbe(table: table, columns: columns, withoutRowid: upper.contains("WITHOUT") && upper.contains("ROWID"))
    }
}
