import Testing
@testable import SluiceSQL

/// PostgreSQL scripts are scanned in windows cut after a `;` token; these tests cut windows
/// everywhere (down to one byte) and expect exactly what one window over the whole script gives:
/// the same statements, or the same error at the same place.
@Suite struct PostgresWindowTests {
    /// Scripts whose every byte is a good place to test a cut.
    static let edgeCases: [String] = [
        // Dollar quotes, with and without tags, holding `;` and quotes; a `$` that is no quote.
        "SELECT $$a;b$$; SELECT $fn$ 'x; $$ ; $fn$; SELECT 1 AS \"$x\";\nSELECT $1;",
        // Comments holding `;` and quotes, nested block comments, a comment at the very end.
        "/* a; 'b /* c; */ d; */ SELECT 1; -- e; 'f\nSELECT 2 /* g; */;\n-- last; words",
        // Strings: standard, doubled quotes, E'' with escaped quotes and backslashes, B'', X'', U&''.
        "SELECT 'a;''b;'; SELECT E'c\\';d\\\\'; SELECT B'1010', X'ff;'; SELECT U&'\\0041;' UESCAPE '\\';",
        // CRLF line endings and a lone CR.
        "SELECT 1;\r\nSELECT 'x;\r\ny';\r\n\r\nSELECT 3;\rSELECT 4;",
        // Multi-byte characters everywhere a cut may fall: identifiers, strings, comments.
        "SELECT 'ü€😀;😀'; -- ü€😀;\nCREATE TABLE größe (ünïcödé text); SELECT \"名前;\" FROM größe;",
        // Parentheses and BEGIN ATOMIC bodies across many `;`.
        "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 3;",
        // A statement without `;` at the end, and one made of nothing but `;`.
        ";;SELECT 1; ;\nSELECT 2",
    ]

    static let windowSizes = [1, 2, 3, 4, 5, 7, 11, 16, 64]

    @Test(arguments: edgeCases)
    func edgeCasesSplitAlikeWhereverTheWindowsAreCut(_ sql: String) {
        expectSameSplit(sql)
        expectSameSplit(withCRLF(sql))
    }

    @Test(arguments: Script.postgres)
    func fixturesSplitAlikeWhereverTheWindowsAreCut(_ script: Script) {
        expectSameSplit(script.text)
        expectSameSplit(withCRLF(script.text))
    }

    /// Unterminated strings, comments and dollar quotes (at the end of the script or before
    /// other statements), meta-commands, COPY FROM STDIN: the same error wherever windows end.
    @Test(arguments: PostgresStatementSplitterTests.malformed)
    func malformedScriptsFailAlikeWhereverTheWindowsAreCut(_ script: MalformedScript) {
        expectSameSplit(script.sql)
        expectSameSplit("SELECT 'padding; ü';\n" + script.sql)
    }

    /// A second scan started anywhere (inside strings, comments, dollar quotes, characters)
    /// joins only where it provably agrees, so the outcome never changes.
    @Test(arguments: edgeCases + Script.postgres.map(\.text) + PostgresStatementSplitterTests.malformed.map(\.sql))
    func aSecondScanStartedAnywhereChangesNothing(_ sql: String) {
        let whole = Self.outcome(sql, windowSize: .max)
        for text in [sql, withCRLF(sql)] {
            let whole = text == sql ? whole : Self.outcome(text, windowSize: .max)
            for guess in 0...text.utf8.count {
                for size in [7, 4096] {
                    #expect(Self.outcome(text, windowSize: size, guess: guess) == whole, "guess \(guess), window \(size)")
                }
            }
        }
    }

    @Test func guessesFallAfterALineEndingSemicolonPastTheMiddle() throws {
        let migration = "CREATE TABLE t (id int);\nDO $$ BEGIN PERFORM 1;\nEND $$;\n\n-- next\n"
        let script = Array(String(repeating: migration, count: 100).utf8)
        let guess = try #require(PostgresSpeculativeScan.guess(in: script, from: 0, minimumLength: 0))
        #expect(guess >= script.count * 9 / 20 && guess < script.count * 3 / 4)
        // Of the `;` ending a line, the one before a blank line (not the one inside the DO body).
        #expect(script[guess - 1] == UInt8(ascii: ";") && script[guess + 1] == UInt8(ascii: "\n"))
        #expect(PostgresSpeculativeScan.guess(in: script, from: 0) == nil, "a short script is scanned on one core")
    }

    @Test func unterminatedInputAtTheEndFailsAtItsStart() {
        for sql in ["SELECT 1; SELECT 2; SELECT 'abc;", "SELECT 1; /* x; y", "SELECT 1;\nDO $x$ BEGIN; END; $x"] {
            for size in Self.windowSizes {
                #expect(Self.outcome(sql, windowSize: size) == Self.outcome(sql, windowSize: .max), "window \(size): \(sql)")
            }
            #expect(splitError(sql, .postgres) != nil)
        }
    }

    @Test func longStatementsGrowTheWindow() throws {
        let body = String(repeating: "PERFORM 1; -- ü;\n", count: 500)
        let sql = "SELECT 0;\nDO $$ BEGIN\n\(body)END $$;\nSELECT 'tail';"
        let statements = try StatementSplitter.split(sql, dialect: .postgres, postgresWindowSize: 64)
        #expect(statements.map(\.line) == [1, 2, 504])
        #expect(statements[1].text.hasSuffix("END $$;"))
    }

    enum Outcome: Equatable {
        case statements([SQLStatement])
        case failure(SQLSplitError)
    }

    static func outcome(_ sql: String, windowSize: Int, guess: Int? = nil) -> Outcome {
        do {
            return .statements(
                try StatementSplitter.split(sql, dialect: .postgres, postgresWindowSize: windowSize, postgresGuess: guess))
        } catch let error as SQLSplitError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error \(error)")
            return .statements([])
        }
    }

    private func expectSameSplit(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = Self.outcome(sql, windowSize: .max)
        for size in Self.windowSizes {
            #expect(Self.outcome(sql, windowSize: size) == whole, "window \(size)", sourceLocation: sourceLocation)
        }
    }
}
