/// What a sheet may do to a PostgreSQL target, decided statement by statement from PostgreSQL's
/// own parse tree (libpg_query), before anything runs.
///
/// A task runs its sheet inside one transaction that Sluice opens, and writes its history row
/// into `public.sluice_migration_history` in that same transaction. A sheet may change the
/// target database's schema and data as it likes, but may not escape that transaction or that
/// database. Refused, with the first reason found per statement:
///
/// - transaction control: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE,
///   ROLLBACK TO, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED, SET TRANSACTION, SET SESSION
///   CHARACTERISTICS;
/// - state that outlives the task: SET and SET SESSION (SET LOCAL is allowed), SET [LOCAL] ROLE,
///   SET [LOCAL] SESSION AUTHORIZATION, RESET, DISCARD, LOAD, LISTEN, UNLISTEN, PREPARE,
///   EXECUTE, DEALLOCATE, DECLARE … CURSOR WITH HOLD, `set_config(…, …, is_local)` unless
///   `is_local` is the constant true, and `set_config` of a setting named at run time, of the
///   role or of the transaction's mode; SET LOCAL of `transaction_…` settings;
/// - instance-wide objects and other databases: databases, tablespaces, roles and role
///   membership, ALTER SYSTEM, DROP/REASSIGN OWNED, ALTER … ALL IN TABLESPACE, subscriptions,
///   publications, CHECKPOINT, event triggers, foreign-data wrappers, foreign servers, user
///   mappings, IMPORT FOREIGN SCHEMA, and the extensions of ``deniedExtensions``;
/// - files and programs: every COPY (files, programs, STDIN and STDOUT alike), functions,
///   procedures and DO blocks in the languages of ``untrustedLanguages``, CREATE LANGUAGE;
/// - the functions of ``deniedFunctions`` (and names matching ``deniedFunctionPrefixes``),
///   called anywhere in the statement or named by it;
/// - any write, definition or other change of an object whose own name starts with `sluice_`
///   (see ``reservedPrefix``), `setval` of such a sequence or of one named at run time (a
///   sequence change survives a rollback), DROP or RENAME of the `public` schema that holds
///   the history, and GRANT of more than SELECT or USAGE on ALL TABLES or SEQUENCES IN SCHEMA
///   public: reading Sluice's objects is allowed.
///
/// The bodies of functions and DO blocks are strings to the parser and are not looked into
/// (SQL-standard `BEGIN ATOMIC` bodies are, being part of the tree). Statements PostgreSQL
/// refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM…) are allowed: the
/// executor runs them outside one (see ``PostgresTransactionRules``).
public enum PostgresSheetPolicy {
    /// The statements of `sql` the policy refuses, at most one violation per statement, in
    /// sheet order. A sheet that cannot be split is checked up to where splitting fails: the
    /// statements before the failure are checked, and `COPY … FROM STDIN` at the failure is
    /// refused. Statements PostgreSQL cannot parse are left to the server, which reports them.
    public static func violations(in sql: String) -> [SheetViolation] {
        do {
            return try StatementSplitter.split(sql, dialect: .postgres).flatMap(violations(of:))
        } catch let error as SQLSplitError {
            return violations(before: error, in: sql)
        } catch {
            return []
        }
    }

    /// The violation of one statement cut from a sheet (empty when it is allowed or does not
    /// parse), positioned in the sheet by the statement's own line and column.
    public static func violations(of statement: SQLStatement) -> [SheetViolation] {
        guard let parsed = try? PgParser.parse(statement.text) else { return [] }
        for (node, location) in parsed {
            if let finding = finding(in: node, text: statement.text) {
                return [violation(finding, statementLocation: location, of: statement)]
            }
        }
        return []
    }

    // MARK: Checks

    /// What a refusal says and where it points: a byte offset in the statement's text, or nil
    /// for the statement's own start.
    struct Finding {
        var construct: String
        var reason: String
        var hint: String
        var location: Int?

        init(_ construct: String, _ reason: String, _ hint: String, at location: Int? = nil) {
            self.construct = construct
            self.reason = reason
            self.hint = hint
            self.location = location
        }
    }

    /// The first refusal of a statement's tree: the statement's kind first, then the objects it
    /// changes, then the functions it calls.
    static func finding(in node: PgNode, text: String) -> Finding? {
        statementFinding(node, text: text) ?? reservedObjectFinding(node) ?? functionFinding(node)
    }

    // MARK: Positions

    private static func violation(_ finding: Finding, statementLocation: Int, of statement: SQLStatement) -> SheetViolation {
        let offset = finding.location.flatMap { $0 >= 0 ? $0 : nil } ?? statementLocation
        let (line, column) = position(ofByteOffset: offset, in: statement)
        return SheetViolation(
            statementIndex: statement.index, line: line, column: column,
            construct: finding.construct, reason: finding.reason, hint: finding.hint)
    }

    /// The sheet's line and column of a byte offset in the statement's text: lines after the
    /// statement's first count from column 1, the first from the statement's own column.
    static func position(ofByteOffset offset: Int, in statement: SQLStatement) -> (line: Int, column: Int) {
        let inner = LineIndex.position(ofByteOffset: offset, in: statement.text)
        return inner.line == 1
            ? (statement.line, statement.column + inner.column - 1)
            : (statement.line + inner.line - 1, inner.column)
    }

    /// The complete statements before a split failure, checked; and the failure itself when it
    /// is `COPY … FROM STDIN`, which is refused like every COPY.
    private static func violations(before error: SQLSplitError, in sql: String) -> [SheetViolation] {
        let prefix = String(decoding: sql.utf8.prefix(error.offset), as: UTF8.self)
        let statements = ((try? StatementSplitter.split(prefix, dialect: .postgres)) ?? [])
            .filter { $0.text.hasSuffix(";") }
        var found = statements.flatMap(violations(of:))
        if error.kind == .copyFromStdin {
            found.append(SheetViolation(
                statementIndex: statements.count, line: error.line, column: error.column,
                construct: "COPY … FROM STDIN", reason: PostgresPolicyText.copyStreamReason,
                hint: PostgresPolicyText.copyHint))
        }
        return found
    }
}
