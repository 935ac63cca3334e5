import XCTest
@testable import SluiceSQL

/// The table-rebuild recogniser: which sheets it frames, and which it leaves to the authorizer.
extension SQLiteSheetPolicyTests {
    private func pattern(_ sql: String) throws -> SQLiteRebuildPattern? {
        SQLiteRebuildPattern.recognise(try StatementSplitter.split(sql, dialect: .sqlite))
    }

    func testTheRebuildPatternIsRecognisedInItsSpellings() throws {
        let body = "CREATE TABLE n(x);\nINSERT INTO n SELECT id FROM member;\nDROP TABLE audit;\nALTER TABLE n RENAME TO audit;"
        let cases: [(String, framing: [Int], body: [Int])] = [
            ("PRAGMA foreign_keys = OFF;\n\(body)\nPRAGMA foreign_keys = ON;", [0, 5], [1, 2, 3, 4]),
            ("PRAGMA foreign_keys=0;\nBEGIN;\n\(body)\nCOMMIT;\nPRAGMA foreign_keys=1;", [0, 1, 6, 7], [2, 3, 4, 5]),
            ("pragma main.foreign_keys = false;\nbegin immediate transaction;\n\(body)\nend transaction;\npragma main.foreign_keys = true;",
             [0, 1, 6, 7], [2, 3, 4, 5]),
            ("PRAGMA foreign_keys = no;\nBEGIN EXCLUSIVE;\n\(body)\nPRAGMA foreign_key_check;\nEND;\nPRAGMA foreign_keys = yes;",
             [0, 1, 6, 7, 8], [2, 3, 4, 5]),
            ("PRAGMA foreign_keys(off);\nBEGIN DEFERRED TRANSACTION;\n\(body)\nPRAGMA foreign_key_check(audit);\nCOMMIT TRANSACTION;\nPRAGMA foreign_keys('on');",
             [0, 1, 6, 7, 8], [2, 3, 4, 5]),
            ("PRAGMA foreign_keys = 'OFF';\n\(body)\nPRAGMA foreign_key_check;\nPRAGMA foreign_keys = \"ON\";", [0, 5, 6], [1, 2, 3, 4]),
            ("PRAGMA foreign_keys = OFF;\nBEGIN;\n\(body)\nCOMMIT;\nPRAGMA foreign_key_check;\nPRAGMA foreign_keys = ON;",
             [0, 1, 6, 7, 8], [2, 3, 4, 5]),
            ("-- rebuild\nPRAGMA FOREIGN_KEYS = OFF; PRAGMA foreign_keys = ON", [0, 1], []),
        ]
        for (sql, framing, bodyIndices) in cases {
            let found = try pattern(sql)
            XCTAssertEqual(found?.framing, framing, sql)
            XCTAssertEqual(found?.body, bodyIndices, sql)
            XCTAssertEqual(SQLiteSheetPolicy.staticViolations(in: sql), [], sql)
        }
    }

    func testSheetsThatOnlyLookLikeTheRebuildAreNotRecognised() throws {
        let body = "CREATE TABLE n(x);\nDROP TABLE audit;"
        let cases = [
            // Foreign keys never turned back on at the end.
            "PRAGMA foreign_keys = OFF;\nBEGIN;\n\(body)\nCOMMIT;",
            "PRAGMA foreign_keys = OFF;\nBEGIN;\n\(body)\nCOMMIT;\nPRAGMA foreign_keys = ON;\nSELECT 1;",
            // OFF is not the first statement.
            "SELECT 1;\nPRAGMA foreign_keys = OFF;\n\(body)\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = ON;\n\(body)\nPRAGMA foreign_keys = OFF;",
            // Transaction control or foreign-key switching inside the body.
            "PRAGMA foreign_keys = OFF;\nBEGIN;\n\(body)\nBEGIN;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = OFF;\n\(body)\nCOMMIT;\nBEGIN;\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = OFF;\nBEGIN;\nSAVEPOINT a;\n\(body)\nCOMMIT;\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = OFF;\n\(body)\nPRAGMA foreign_keys = ON;\n\(body)\nPRAGMA foreign_keys = ON;",
            // A BEGIN without its COMMIT, or the other way round.
            "PRAGMA foreign_keys = OFF;\nBEGIN;\n\(body)\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = OFF;\n\(body)\nCOMMIT;\nPRAGMA foreign_keys = ON;",
            // Values that are not booleans, another schema, a lone pragma.
            "PRAGMA foreign_keys = maybe;\n\(body)\nPRAGMA foreign_keys = ON;",
            "PRAGMA temp.foreign_keys = OFF;\n\(body)\nPRAGMA foreign_keys = ON;",
            "PRAGMA foreign_keys = OFF;",
            "BEGIN TRANSACTION named;\nPRAGMA foreign_keys = OFF;\nCOMMIT;",
        ]
        for sql in cases {
            XCTAssertNil(try pattern(sql), sql)
            XCTAssertFalse(SQLiteSheetPolicy.staticViolations(in: sql).isEmpty, sql)
        }
    }
}
