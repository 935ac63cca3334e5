import GRDBSQLite

/// SQLite itself, asked directly: the authority the SQLite splitter must agree with.
enum SQLiteOracle {
    static func isComplete(_ sql: String) -> Bool {
        sql.withCString { sqlite3_complete($0) != 0 }
    }

    /// An in-memory database that runs statements one by one, as a migration would.
    final class Database {
        private let handle: OpaquePointer

        init() throws {
            var db: OpaquePointer?
            guard sqlite3_open(":memory:", &db) == SQLITE_OK, let db else {
                throw OracleError(description: "cannot open an in-memory SQLite database")
            }
            handle = db
        }

        deinit {
            sqlite3_close(handle)
        }

        /// Prepares the first statement of `sql`, runs it to completion, and returns how many
        /// bytes of `sql` the preparation consumed (all of them when `sql` is one statement).
        func runFirstStatement(_ sql: String) throws -> Int {
            try sql.withCString { base in
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                guard sqlite3_prepare_v2(handle, base, -1, &statement, &tail) == SQLITE_OK else {
                    throw OracleError(description: "prepare failed: \(String(cString: sqlite3_errmsg(handle)))")
                }
                defer { sqlite3_finalize(statement) }
                guard let statement else {
                    throw OracleError(description: "no statement in \(sql.debugDescription)")
                }
                var rc = sqlite3_step(statement)
                while rc == SQLITE_ROW { rc = sqlite3_step(statement) }
                guard rc == SQLITE_DONE else {
                    throw OracleError(description: "step failed: \(String(cString: sqlite3_errmsg(handle)))")
                }
                guard let tail else { return 0 }
                return tail - base
            }
        }

        /// Whether `sql` holds no statement at all, only whitespace, comments and `;`.
        func isTrivia(_ sql: String) throws -> Bool {
            try sql.withCString { base in
                var cursor = base
                while cursor.pointee != 0 {
                    var statement: OpaquePointer?
                    var tail: UnsafePointer<CChar>?
                    guard sqlite3_prepare_v2(handle, cursor, -1, &statement, &tail) == SQLITE_OK else {
                        throw OracleError(description: "prepare failed: \(String(cString: sqlite3_errmsg(handle)))")
                    }
                    if let statement {
                        sqlite3_finalize(statement)
                        return false
                    }
                    guard let tail, tail > cursor else { return true }
                    cursor = tail
                }
                return true
            }
        }
    }
}
