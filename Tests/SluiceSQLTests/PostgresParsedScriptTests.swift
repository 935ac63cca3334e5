import Foundation
import Testing
@testable import SluiceSQL

/// The one-parse path (`PostgresParsedScript`) gives exactly what the scanner split plus a
/// JSON parse per statement gives, statement by statement and field by field, however the
/// script is cut into chunks; and it stands aside for scripts it must not handle.
@Suite struct PostgresParsedScriptTests {
    /// The reference: the scanner-based split, then each statement classified from JSON.
    private func slow(_ sql: String) throws -> [ClassifiedStatement] {
        PostgresClassifier.classify(try StatementSplitter.scannerSplit(sql, dialect: .postgres))
    }

    private func expectSame(_ fast: [ClassifiedStatement]?, _ sql: String, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = try slow(sql)
        guard let fast else {
            Issue.record("\(label): the parser path stood aside", sourceLocation: sourceLocation)
            return
        }
        #expect(fast.count == reference.count, "\(label): statement count", sourceLocation: sourceLocation)
        for (a, b) in zip(fast, reference) where a != b {
            Issue.record("\(label): statement \(b.index) differs:\nparser:  \(a)\nscanner: \(b)", sourceLocation: sourceLocation)
            return
        }
    }

    static var scripts: [(String, String)] {
        Script.postgres.map { ($0.name, $0.text) } + Script.postgres.map { ($0.name + " CRLF", withCRLF($0.text)) } + [
            ("node corpus", PostgresNodeCorpus.statements.joined(separator: "\n")),
            ("node corpus, one line", PostgresNodeCorpus.statements.joined(separator: " ")),
            ("migrations", Self.migrations(40)),
            ("byte-order mark", "\u{FEFF}CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"),
            ("last statement without ;", "CREATE TABLE t (id int);\nSELECT 1 -- trailing; comment\n  /* and ; more */  \n"),
            ("only comments", "-- nothing; here\n/* or ; here */\n"),
            ("empty", ""),
            ("empty statements", ";;\n; SELECT 1;;; SELECT 2\n;"),
            ("BEGIN ATOMIC", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT f();\n"),
            ("rule with two actions", "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1);\n INSERT INTO b VALUES (2));\nSELECT 1;\n"),
        ]
    }

    @Test(arguments: scripts.map(\.0))
    func theParserPathMatchesTheScannerPathStatementByStatement(_ name: String) throws {
        let sql = Self.scripts.first { $0.0 == name }!.1
        try expectSame(PostgresParsedScript.splitAndClassify(sql), sql, name)
    }

    @Test(arguments: scripts.map(\.0))
    func splittingAloneMatchesTheScannerToo(_ name: String) throws {
        let sql = Self.scripts.first { $0.0 == name }!.1
        #expect(try StatementSplitter.split(sql, dialect: .postgres) == StatementSplitter.scannerSplit(sql, dialect: .postgres))
        #expect(PostgresParsedScript.split(sql) == (try StatementSplitter.scannerSplit(sql, dialect: .postgres)))
    }

    @Test func chunkCutsAnywhereChangeNothing() throws {
        // Tiny chunks cut after every `;` at a line end: inside dollar quotes, comments, strings,
        // BEGIN ATOMIC bodies and rule actions, so cuts fail and chunks are joined again.
        let sql = Script.postgres.map(\.text).joined(separator: "\n;\n") + ";\n" + Self.migrations(3)
            + "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC\n SELECT 1;\n SELECT 2;\nEND;\n"
            + "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1);\n INSERT INTO b VALUES (2));\n"
        for size in [1, 16, 100, 700, 4096] {
            let crlf = withCRLF(sql)
            try expectSame(PostgresParsedScript.splitAndClassify(crlf, chunkSize: size), crlf, "CRLF, chunks of \(size) bytes")
            try expectSame(PostgresParsedScript.splitAndClassify(sql, chunkSize: size, cutAtAnyLineEnd: true), sql, "chunks of \(size) bytes")
            try expectSame(PostgresParsedScript.splitAndClassify(sql, chunkSize: size), sql, "chunks of \(size) bytes")
        }
    }

    @Test func chunksAreCutAfterASemicolonEndingALineBeforeAStatementOrComment() {
        let sql = Array("SELECT 1;\n  x;\nEND;\nselect 2; SELECT 3;\n-- c\nSELECT 4;\nSELECTED;\n/* c */ SELECT 5;\n".utf8)
        let chunks = PostgresParsedScript.cuts(sql, from: 0, chunkSize: 4)
        #expect(chunks.map { String(decoding: sql[$0], as: UTF8.self) } == [
            "SELECT 1;\n  x;\nEND;\n", "select 2; SELECT 3;\n", "-- c\nSELECT 4;\nSELECTED;\n", "/* c */ SELECT 5;\n",
        ])
    }

    @Test(arguments: [
        ("syntax error", "SELECT 1;\nSELEC 2;\n"),
        ("psql meta-command", "SELECT 1;\n\\connect other\nSELECT 2;\n"),
        ("COPY FROM STDIN", "COPY t (a) FROM STDIN;\n1\n2\n\\.\nSELECT 1;\n"),
        ("COPY FROM STDIN whose rows parse", "COPY t (a) FROM STDIN;\n"),
        ("unterminated string", "SELECT 'abc;\n"),
        ("NUL", "SELECT 1;\u{0}SELECT 2;"),
    ])
    func scriptsThatNeedTheScannerPathAreLeftToIt(_ name: String, _ sql: String) throws {
        #expect(PostgresParsedScript.splitAndClassify(sql) == nil, "\(name)")
        // And the public entry point still says what the scanner path says.
        let viaClassifier = Result { try SQLClassifier.classify(sql, dialect: .postgres) }
        let viaSplitter = Result { try slow(sql) }
        switch (viaClassifier, viaSplitter) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
        default: Issue.record("\(name): \(viaClassifier) vs \(viaSplitter)")
        }
    }

    @Test func classificationReadInPlaceMatchesTheKnownAnswers() throws {
        let classified = try #require(PostgresParsedScript.splitAndClassify("""
            CREATE INDEX CONCURRENTLY idx ON app.orders (customer_id);
            WITH recent AS (SELECT id FROM orders) UPDATE customers SET seen = true WHERE id IN (SELECT id FROM recent);
            DROP TABLE old_orders, app.older;
            ALTER TYPE mood ADD VALUE 'meh';
            CREATE FOREIGN TABLE remote.t (id int) SERVER s OPTIONS (table_name 'x');
            """))
        #expect(classified.map(\.type) == ["CREATE_INDEX", "UPDATE", "DROP_TABLE", "ALTER_TYPE", "CREATE_FOREIGN_TABLE"])
        #expect(classified.map(\.tables) == [["app.orders"], ["orders", "customers"], ["old_orders", "app.older"], [], ["remote.t"]])
        #expect(classified.map(\.transactional) == [false, true, true, false, true])
        #expect(classified.map(\.line) == [1, 2, 3, 4, 5])
    }

    /// Migrations like the benchmark's, `count` of them.
    static func migrations(_ count: Int) -> String {
        (0..<count).map { i in
            """
            -- Migration \(i); notes may hold ; and 'quotes'
            SET lock_timeout = '3s';
            CREATE TABLE IF NOT EXISTS billing.invoice_\(i) (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES billing.customer (id),
                memo text DEFAULT E'net 30; thank you\\'s'
            );
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_invoice_\(i) ON billing.invoice_\(i) (customer_id);
            INSERT INTO billing.invoice_\(i) (customer_id, memo) VALUES (1, 'first; invoice'), (2, $$dollar 'quoted'$$);
            DELETE FROM billing.invoice_\(i) WHERE id IN (SELECT id FROM billing.invoice_\(i) WHERE memo IS NULL);
            CREATE OR REPLACE FUNCTION billing.touch_\(i)() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                NEW.memo := 'x;';  -- stamp; once
                RETURN NEW;
            END;
            $fn$;
            /* Backfill /* nested comment; */ in one block */
            DO $$ BEGIN RAISE NOTICE 'done; %', 1; END $$;

            """
        }.joined()
    }
}
