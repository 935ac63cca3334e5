import Testing
@testable import SluiceSQL

@Suite struct SQLiteStatementSplitterTests {
    /// Each fixture statement is one complete statement to SQLite, no shorter prefix of it is,
    /// preparing it consumes it exactly, and everything between statements is whitespace,
    /// comments and empty statements.
    @Test(arguments: Script.sqlite)
    func fixtureStatementsAreExactlyWhatSQLiteSees(_ script: Script) throws {
        let source = script.text
        let statements = try StatementSplitter.split(source, dialect: .sqlite)
        expectConsistent(statements, in: source)
        let database = try SQLiteOracle.Database()
        var previousEnd = 0
        for statement in statements {
            #expect(try database.isTrivia(slice(source, previousEnd..<statement.start)))
            previousEnd = statement.end

            let terminated = statement.text.hasSuffix(";")
            #expect(SQLiteOracle.isComplete(terminated ? statement.text : statement.text + ";"))
            let bytes = Array(statement.text.utf8)
            for (offset, byte) in bytes.enumerated().dropLast() where byte == UInt8(ascii: ";") {
                let prefix = String(decoding: bytes[...offset], as: UTF8.self)
                #expect(!SQLiteOracle.isComplete(prefix), "statement \(statement.index) was complete at byte \(offset)")
            }
            // Running the statements in order builds the schema the later ones need.
            #expect(try database.runFirstStatement(statement.text) == statement.text.utf8.count)
        }
        #expect(try database.isTrivia(slice(source, previousEnd..<source.utf8.count)))
    }

    @Test(arguments: Script.sqlite)
    func crlfLineEndingsMoveOnlyOffsets(_ script: Script) throws {
        try expectCRLFMovesOnlyOffsets(script.text, dialect: .sqlite)
    }

    @Test func customersFixtureBoundaries() throws {
        let statements = try StatementSplitter.split(Script.sqliteCustomers.text, dialect: .sqlite)
        let expected: [(line: Int, column: Int, start: Int, prefix: String)] = [
            (5, 1, 214, "PRAGMA foreign_keys = ON;"),
            (7, 1, 241, "CREATE TABLE customers ("),
            (18, 1, 520, "INSERT INTO customers"),
            (23, 1, 742, "CREATE TABLE \"order items\""),
            (25, 1, 854, "CREATE INDEX"),
            (25, 64, 917, "CREATE VIEW"),
            (27, 1, 1002, "INSERT INTO \"order items\" (label) VALUES ('Ærø"),
            // Multi-byte characters earlier on the line: column 56, though byte column 63.
            (27, 56, 1064, "INSERT INTO \"order items\" (label) VALUES ('naïve"),
            (30, 17, 1155, "UPDATE customers"),
            (33, 1, 1242, "SELECT count(*)"),
        ]
        #expect(statements.count == expected.count)
        for (statement, item) in zip(statements, expected) {
            #expect(statement.line == item.line && statement.column == item.column && statement.start == item.start)
            #expect(statement.text.hasPrefix(item.prefix))
        }
        #expect(statements.last?.text == "SELECT count(*) FROM customers")
        #expect(statements[1].text.hasSuffix(");"))
        #expect(statements[8].text.hasSuffix("línea 2; still the same string' WHERE id = 1;"))
    }

    @Test func triggerBodiesStayInTheirStatement() throws {
        let statements = try StatementSplitter.split(Script.sqliteTriggers.text, dialect: .sqlite)
        #expect(statements.map(\.line) == [2, 3, 5, 15, 20, 21, 22, 23])
        #expect(statements[2].text.hasPrefix("CREATE TRIGGER accounts_audit"))
        #expect(statements[2].text.hasSuffix("/* and END; here */\nEND;"))
        #expect(statements[3].text.hasSuffix("END\n;"))
        #expect(statements[4].text.hasSuffix("('end'); end;"))
        #expect(statements[7].text.hasSuffix("'audit rows are final'); END"))
    }

    @Test func emptyAndCommentOnlyScriptsHaveNoStatements() throws {
        for sql in ["", "   \n\t", ";", ";;\n;", "-- just a comment", "/* a; b */ ; -- c;\n;"] {
            #expect(try StatementSplitter.split(sql, dialect: .sqlite).isEmpty, "\(sql.debugDescription)")
        }
    }

    @Test func indexesStayDenseAcrossEmptyStatements() throws {
        let statements = try StatementSplitter.split(";SELECT 1;;; ;SELECT 2;\n;\nSELECT 3", dialect: .sqlite)
        #expect(statements.map(\.index) == [0, 1, 2])
        #expect(statements.map(\.text) == ["SELECT 1;", "SELECT 2;", "SELECT 3"])
    }

    @Test func textRunsFromTheFirstTokenThroughTheSemicolon() throws {
        let statements = try StatementSplitter.split(
            "  /* lead */ -- in\n  SELECT 1 /* inside */ ; -- after\nSELECT 2 -- trailing\n", dialect: .sqlite)
        #expect(statements.map(\.text) == ["SELECT 1 /* inside */ ;", "SELECT 2"])
        #expect(statements.map(\.line) == [2, 3])
        #expect(statements.map(\.column) == [3, 1])
    }

    @Test func quotesHideSemicolonsAndCommentMarkers() throws {
        let sql = """
            SELECT 'a;b', "c;d", `e;f`, [g;h], 'it''s; -- no', "x""; /* no";
            SELECT '/*', '--';
            """
        let statements = try StatementSplitter.split(sql, dialect: .sqlite)
        #expect(statements.count == 2)
        #expect(statements.allSatisfy { SQLiteOracle.isComplete($0.text) })
    }

    @Test func aCommentOpenerInsideABlockCommentDoesNotNest() throws {
        // SQLite comments do not nest: the first */ closes.
        let statements = try StatementSplitter.split("/* a /* b */ SELECT 1; /*/ still */ SELECT 2;", dialect: .sqlite)
        #expect(statements.map(\.text) == ["SELECT 1;", "SELECT 2;"])
    }

    @Test func aTriggerMissingOnlyItsFinalSemicolonIsTheLastStatement() throws {
        let sql = "CREATE TABLE t(x);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END -- done"
        let statements = try StatementSplitter.split(sql, dialect: .sqlite)
        #expect(statements.last?.text == "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END")
    }

    @Test func explainAndTemporaryTriggersFollowSQLite() throws {
        let sql = """
            CREATE TEMPORARY TRIGGER t1 AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;
            EXPLAIN CREATE TRIGGER t2 AFTER INSERT ON t BEGIN SELECT 1; END;
            CREATE TABLE trigger_log(x); CREATE TABLE "trigger"(begin, end);
            """
        let statements = try StatementSplitter.split(sql, dialect: .sqlite)
        #expect(statements.count == 4)
        #expect(statements.allSatisfy { SQLiteOracle.isComplete($0.text) })
    }

    static let malformed: [MalformedScript] = [
        MalformedScript(sql: "SELECT 1;\nSELECT 'abc", kind: .unterminatedString, line: 2, column: 8, mentions: "'"),
        MalformedScript(sql: "SELECT 'it''s", kind: .unterminatedString, line: 1, column: 8),
        MalformedScript(sql: "SELECT 'é', 'x;\nSELECT 2;", kind: .unterminatedString, line: 1, column: 13),
        MalformedScript(
            sql: "-- ü€😀\nINSERT INTO t VALUES (\"abc);", kind: .unterminatedQuotedIdentifier, line: 2, column: 23,
            mentions: "\""),
        MalformedScript(sql: "SELECT [abc FROM t;", kind: .unterminatedQuotedIdentifier, line: 1, column: 8, mentions: "]"),
        MalformedScript(sql: "SELECT 1;\r\nSELECT `abc;\r\n", kind: .unterminatedQuotedIdentifier, line: 2, column: 8),
        MalformedScript(sql: "SELECT 1; /* never closed; SELECT 2;", kind: .unterminatedComment, line: 1, column: 11, mentions: "*/"),
        MalformedScript(sql: "SELECT 1 /*/ ;", kind: .unterminatedComment, line: 1, column: 10),
        MalformedScript(sql: "SELECT 1;\r\nSELECT 2;\r\n'abc", kind: .unterminatedString, line: 3, column: 1),
        MalformedScript(
            sql: "CREATE TABLE t(x);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT 1;\nSELECT 2;\n",
            kind: .unterminatedBody, line: 2, column: 1, mentions: "END;"),
        MalformedScript(
            sql: "  CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1", kind: .unterminatedBody, line: 1, column: 3),
        MalformedScript(sql: "SELECT 1;\nSELECT 2\0;", kind: .nulCharacter, line: 2, column: 9, mentions: "NUL"),
    ]

    @Test(arguments: malformed)
    func malformedScriptsFailWhereTheProblemStarts(_ script: MalformedScript) {
        script.check(.sqlite)
    }

    /// A trigger missing its END with a long script after it: the check at each `;` looks only at
    /// the text since the previous one, so this stays linear.
    @Test func aLongTriggerBodyIsNotRescannedAtEverySemicolon() throws {
        let body = String(repeating: "INSERT INTO log VALUES ('x; y');\n", count: 20_000)
        let unterminated = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n" + body
        #expect(splitError(unterminated, .sqlite)?.kind == .unterminatedBody)
        let statements = try StatementSplitter.split(unterminated + "END;\n" + body, dialect: .sqlite)
        #expect(statements.count == 20_001)
    }
}
