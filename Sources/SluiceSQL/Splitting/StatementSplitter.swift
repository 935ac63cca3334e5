/// Cuts a migration script into statements exactly where its database would.
///
/// SQLite scripts are cut by SQLite's own rule (`sqlite3_complete`, which knows trigger bodies);
/// PostgreSQL scripts by PostgreSQL's own parser where the script parses (see
/// `PostgresParsedScript`), else by its scanner (through libpg_query) and psql's rule for where a
/// statement ends, which knows dollar quoting, nested comments and `BEGIN ATOMIC` bodies; the two
/// agree wherever both apply (`PostgresParsedScriptTests` and the fuzz target hold them to it).
/// Statements with nothing but whitespace and comments are dropped and the rest numbered densely
/// from 0. A byte-order mark at the very start is skipped. See ``SQLStatement`` for what a
/// statement's text covers.
public enum StatementSplitter {
    /// The statements of `sql`, in order.
    ///
    /// - Throws: ``SQLSplitError`` with the line and column where an unterminated string,
    ///   identifier, comment, dollar quote or body begins, or (PostgreSQL) where a psql
    ///   meta-command or `COPY … FROM STDIN` stands; nothing else.
    public static func split(_ sql: String, dialect: SQLDialect) throws -> [SQLStatement] {
        // A PostgreSQL script that parses is cut where the parser ends each statement, in one
        // pass (see PostgresParsedScript); anything else goes to the scanner, which explains
        // what is wrong.
        if dialect == .postgres, let statements = PostgresParsedScript.split(sql) { return statements }
        return try scannerSplit(sql, dialect: dialect)
    }

    /// The split by SQLite's rule or PostgreSQL's scanner, never by PostgreSQL's parser.
    static func scannerSplit(_ sql: String, dialect: SQLDialect) throws -> [SQLStatement] {
        try split(sql, dialect: dialect, postgresWindowSize: 64 * 1024, postgresGuess: nil)
    }

    /// ``split(_:dialect:)`` with PostgreSQL's scanner run over windows of about
    /// `postgresWindowSize` bytes, and a second scan started at `postgresGuess` (tests make
    /// windows tiny and guess everywhere, to show that neither changes the outcome).
    static func split(
        _ sql: String, dialect: SQLDialect, postgresWindowSize: Int, postgresGuess: Int? = nil
    ) throws -> [SQLStatement] {
        var collector = StatementCollector(source: sql)
        // Both C libraries read NUL-terminated strings, so a NUL would silently end the script.
        if let nul = collector.utf8.firstIndex(of: 0) {
            throw collector.error(
                .nulCharacter,
                "the script contains a NUL character, which SQL text cannot hold; remove it (is this a binary file?)",
                at: nul)
        }
        switch dialect {
        case .sqlite:
            try SQLiteStatementSplitter.split(into: &collector)
        case .postgres:
            try PostgresStatementSplitter.split(into: &collector, windowSize: postgresWindowSize, guess: postgresGuess)
        }
        return collector.statements
    }
}
