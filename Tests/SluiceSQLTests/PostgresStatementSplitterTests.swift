import Testing
@testable import SluiceSQL

@Suite struct PostgresStatementSplitterTests {
    @Test(arguments: Script.postgres)
    func eachStatementParsesAsExactlyOneStatement(_ script: Script) throws {
        let statements = try StatementSplitter.split(script.text, dialect: .postgres)
        expectConsistent(statements, in: script.text)
        for statement in statements {
            #expect(try PgQueryOracle.statementCount(parsing: statement.text) == 1, "statement \(statement.index)")
        }
    }

    /// PostgreSQL's grammar (`pg_query_split_with_parser`) finds the same statements; its ranges
    /// start after the previous `;` and stop before the next one, ours hug the tokens.
    @Test(arguments: Script.postgres)
    func boundariesMatchPostgreSQLsParser(_ script: Script) throws {
        let statements = try StatementSplitter.split(script.text, dialect: .postgres)
        try expectSameStatements(statements, as: try PgQueryOracle.splitWithParser(script.text), in: script.text)
    }

    /// libpg_query's scanner-based split agrees too, on a script without `BEGIN ATOMIC` (which
    /// it does not know).
    @Test func boundariesMatchLibpgQuerysScannerSplit() throws {
        let source = Script.postgresAccounts.text
        let statements = try StatementSplitter.split(source, dialect: .postgres)
        try expectSameStatements(statements, as: try PgQueryOracle.splitWithScanner(source), in: source)
    }

    @Test(arguments: Script.postgres)
    func crlfLineEndingsMoveOnlyOffsets(_ script: Script) throws {
        try expectCRLFMovesOnlyOffsets(script.text, dialect: .postgres)
        for statement in try StatementSplitter.split(withCRLF(script.text), dialect: .postgres) {
            #expect(try PgQueryOracle.statementCount(parsing: statement.text) == 1)
        }
    }

    @Test func accountsFixtureBoundaries() throws {
        let statements = try StatementSplitter.split(Script.postgresAccounts.text, dialect: .postgres)
        let expected: [(line: Int, column: Int, start: Int, prefix: String)] = [
            (3, 1, 145, "SET search_path"),
            (5, 1, 172, "CREATE TABLE accounts"),
            (14, 1, 409, "INSERT INTO accounts (\"Owner;Name\", note)"),
            (16, 1, 529, "CREATE FUNCTION touch_created_at()"),
            (24, 1, 686, "CREATE OR REPLACE FUNCTION describe"),
            (34, 1, 900, "CREATE TRIGGER accounts_touch"),
            (37, 1, 1011, "DO $do$"),
            (43, 1, 1079, "DO LANGUAGE plpgsql"),
            (45, 1, 1128, "COMMENT ON TABLE"),
            (45, 65, 1192, "INSERT INTO accounts (\"Owner;Name\") VALUES"),
            // Multi-byte characters earlier on the line: column 123, though byte column 128.
            (45, 123, 1255, "SELECT 'ünïcödé'"),
            (47, 1, 1288, "SELECT U&\"d\\0061t;a\""),
            (47, 55, 1342, "SELECT B'1010'"),
        ]
        #expect(statements.count == expected.count)
        for (statement, item) in zip(statements, expected) {
            #expect(statement.line == item.line && statement.column == item.column && statement.start == item.start)
            #expect(statement.text.hasPrefix(item.prefix))
        }
        #expect(statements[3].text.hasSuffix("END;\n$$;"))
        #expect(statements[4].text.hasSuffix("$body$;"))
        #expect(statements.last?.text == "SELECT B'1010', X'FF', 'multi\nline; string'")
    }

    @Test func beginAtomicBodiesStayInTheirStatement() throws {
        let statements = try StatementSplitter.split(Script.postgresRoutines.text, dialect: .postgres)
        #expect(statements.map(\.line) == [2, 4, 11, 18, 20, 21, 22, 24, 26])
        #expect(statements[1].text.hasSuffix("WHERE id = p_id;\nEND;"))
        #expect(statements[2].text.hasSuffix("FROM ledger;\nEND;"))
        #expect(statements[4].text == "BEGIN;")
        #expect(statements[7].text == "CREATE RULE ledger_log AS ON INSERT TO ledger DO ALSO (NOTIFY ledger; NOTIFY audit);")
        #expect(statements[8].column == 32)
        #expect(statements[8].text == "CREATE FUNCTION größe() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;")
    }

    @Test func emptyAndCommentOnlyScriptsHaveNoStatements() throws {
        for sql in ["", " \n\t", ";", ";;\n;", "-- just a comment", "/* a; /* b; */ c */ ; -- d;\n;"] {
            #expect(try StatementSplitter.split(sql, dialect: .postgres).isEmpty, "\(sql.debugDescription)")
        }
    }

    @Test func textRunsFromTheFirstTokenThroughTheSemicolon() throws {
        let statements = try StatementSplitter.split(
            "  /* lead */ -- in\n  SELECT 1 /* inside */ ; -- after\nSELECT 2 -- trailing\n;SELECT U&'x' /* c */  \n",
            dialect: .postgres)
        #expect(statements.map(\.text) == ["SELECT 1 /* inside */ ;", "SELECT 2 -- trailing\n;", "SELECT U&'x'"])
        #expect(statements.map(\.line) == [2, 3, 4])
        #expect(statements.map(\.column) == [3, 1, 2])
    }

    @Test func statementsWithoutKeywordsAreKeptForTheServerToReject() throws {
        // libpg_query's scanner split would drop these silently.
        let statements = try StatementSplitter.split("foo; SELECT 1; bar", dialect: .postgres)
        #expect(statements.map(\.text) == ["foo;", "SELECT 1;", "bar"])
    }

    @Test func quotingHidesSemicolonsAndBackslashes() throws {
        let sql = #"""
            SELECT E'a\';b', 'c\', $x$ \connect $x$, "e;\f", U&'\0041;', $$;$$;
            SELECT '\set x 1' AS "\copy";
            """#
        let statements = try StatementSplitter.split(sql, dialect: .postgres)
        #expect(statements.count == 2)
        for statement in statements {
            #expect(try PgQueryOracle.statementCount(parsing: statement.text) == 1)
        }
    }

    /// Found by the fuzzer: PostgreSQL's scanner makes a token of a vertical tab, which psql
    /// trims as space; the statement must keep its one token rather than come out empty.
    @Test func aStatementOfVerticalTabsKeepsItsToken() throws {
        for sql in ["\u{0B}\u{0B}\u{0B}", "SELECT 1 \u{0B}\u{0B}"] {
            let statements = try StatementSplitter.split(sql, dialect: .postgres)
            #expect(statements.allSatisfy { $0.start < $0.end && $0.text == slice(sql, $0.start..<$0.end) }, "\(statements)")
        }
        // The tabs are tokens to PostgreSQL (the server will reject them): they stay in the statement.
        #expect(try StatementSplitter.split("SELECT 1 \u{0B}\u{0B}", dialect: .postgres).map(\.text) == ["SELECT 1 \u{0B}\u{0B}"])
    }

    @Test func copyToStdoutAndFromAFileAreLeftAlone() throws {
        let sql = "COPY accounts TO STDOUT; COPY accounts FROM '/srv/stdin.csv'; SELECT stdin FROM (SELECT 1 AS stdin) AS t;"
        #expect(try StatementSplitter.split(sql, dialect: .postgres).count == 3)
    }

    static let malformed: [MalformedScript] = [
        MalformedScript(sql: "SELECT 1;\nSELECT 'abc", kind: .unterminatedString, line: 2, column: 8, mentions: "quote"),
        MalformedScript(
            sql: "-- ü€😀\nSELECT E'it\\'s;\nSELECT 2;", kind: .unterminatedString, line: 2, column: 8, mentions: "backslash"),
        MalformedScript(sql: "SELECT 'é', B'10", kind: .unterminatedString, line: 1, column: 13),
        MalformedScript(sql: "SELECT \"abc;\r\nSELECT 2;", kind: .unterminatedQuotedIdentifier, line: 1, column: 8),
        MalformedScript(
            sql: "SELECT 1; /* outer /* inner */ still open;\nSELECT 2;", kind: .unterminatedComment, line: 1, column: 11,
            mentions: "nest"),
        MalformedScript(
            sql: "SELECT 1;\r\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ LANGUAGE sql;",
            kind: .unterminatedDollarQuote, line: 2, column: 36, mentions: "$body$"),
        MalformedScript(sql: "DO $$ BEGIN PERFORM 1; END $ $;", kind: .unterminatedDollarQuote, line: 1, column: 4, mentions: "$$"),
        MalformedScript(sql: "SELECT 1abc;", kind: .invalidToken, line: 1, column: 8, mentions: "trailing junk"),
        MalformedScript(
            sql: "SELECT 1;\n\\connect other\nSELECT 2;", kind: .psqlMetaCommand, line: 2, column: 1, mentions: "\\connect"),
        MalformedScript(sql: "\\set ON_ERROR_STOP on\nSELECT 1;", kind: .psqlMetaCommand, line: 1, column: 1, mentions: "\\set"),
        MalformedScript(sql: "SELECT 1 \\gset\n", kind: .psqlMetaCommand, line: 1, column: 10, mentions: "\\gset"),
        MalformedScript(
            sql: "SELECT 1;\n  \\i 'other file.sql'", kind: .psqlMetaCommand, line: 2, column: 3, mentions: "\\i"),
        // The rows after COPY … FROM STDIN do not scan as SQL (the quote in O'Brien never closes),
        // but the COPY is what to report.
        MalformedScript(
            sql: "SELECT 1;\nCOPY accounts (id, name) FROM stdin;\n1\tO'Brien\n\\.\n",
            kind: .copyFromStdin, line: 2, column: 1, mentions: "INSERT"),
        MalformedScript(
            sql: "copy accounts from STDIN with (format csv);\n1,x\n\\.\n", kind: .copyFromStdin, line: 1, column: 1),
        // Found by the fuzzer: the text before the bad escape ends inside its E'…' string, so it
        // must be cut back further to find the meta-command before it.
        MalformedScript(
            sql: "SELECT 'a';\n\\x\nSELECT E'\\uZZ';", kind: .psqlMetaCommand, line: 2, column: 1, mentions: "\\x"),
        MalformedScript(sql: "SELECT (1;\nSELECT 2;", kind: .unclosedParenthesis, line: 1, column: 8, mentions: "("),
        MalformedScript(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC SELECT 1;\nSELECT 2;",
            kind: .unterminatedBody, line: 2, column: 1, mentions: "END"),
        MalformedScript(sql: "SELECT 1;\0", kind: .nulCharacter, line: 1, column: 10),
    ]

    @Test(arguments: malformed)
    func malformedScriptsFailWhereTheProblemStarts(_ script: MalformedScript) {
        script.check(.postgres)
    }

    @Test func errorsDoNotQuoteTheScriptsLiterals() throws {
        let error = try #require(splitError("SELECT 'secret password value", .postgres))
        #expect(!error.message.contains("secret"))
        #expect(error.description == "line 1, column 8: \(error.message)")
    }

    @Test func aLongScriptSplitsInOnePass() throws {
        let sql = String(repeating: "INSERT INTO log VALUES ('x; y', $$z;$$); -- note;\n", count: 20_000)
        #expect(try StatementSplitter.split(sql, dialect: .postgres).count == 20_000)
    }
}

/// Our statements against libpg_query's split ranges: the same statements in the same order,
/// where the oracle's extra bytes (before ours, and after ours up to its `;`) hold no statement.
private func expectSameStatements(
    _ statements: [SQLStatement], as ranges: [Range<Int>], in source: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(statements.count == ranges.count, sourceLocation: sourceLocation)
    for (statement, range) in zip(statements, ranges) {
        guard range.lowerBound <= statement.start, statement.end - 1 <= range.upperBound else {
            Issue.record("statement \(statement.index) at \(statement.start)..<\(statement.end) is not inside \(range)", sourceLocation: sourceLocation)
            continue
        }
        let before = slice(source, range.lowerBound..<statement.start)
        #expect(try PgQueryOracle.statementCount(parsing: before) == 0, sourceLocation: sourceLocation)
        if statement.text.hasSuffix(";") {
            // The oracle's range stops just before the `;`.
            #expect(range.upperBound == statement.end - 1, "statement \(statement.index)", sourceLocation: sourceLocation)
        } else {
            guard range.upperBound >= statement.end else {
                Issue.record("statement \(statement.index) runs past \(range)", sourceLocation: sourceLocation)
                continue
            }
            let after = slice(source, statement.end..<range.upperBound)
            #expect(try PgQueryOracle.statementCount(parsing: after) == 0, sourceLocation: sourceLocation)
        }
    }
}
