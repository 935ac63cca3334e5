import Foundation
import Testing
@testable import SluiceEngine

/// The risk condition language: parsing, type checking and three-valued evaluation.
@Suite struct ExpressionTests {
    let prodAlter = RiskFacts(environmentId: "prod", projectId: "DEMO", databaseName: "app", dbEngine: "SQLITE",
                              sqlType: "ALTER_TABLE", tableName: "orders", affectedRows: 1500, tableRows: 20_000)

    func eval(_ text: String, _ facts: RiskFacts? = nil) throws -> RiskCondition.Outcome {
        try RiskCondition.compile(text).evaluate(facts ?? prodAlter)
    }

    func failure(_ text: String) -> ExpressionError? {
        do { _ = try RiskCondition.compile(text); return nil } catch { return error }
    }

    @Test func operatorsAndMethodsEvaluate() throws {
        let matched: [String] = [
            #"environment_id == "prod""#,
            #"environment_id != "test""#,
            "affected_rows > 1000 && table_rows >= 20000",
            "affected_rows < 2000 || false",
            "affected_rows <= 1500 && !(table_rows < 10)",
            #"sql_type in ["ALTER_TABLE", "DROP_TABLE"]"#,
            #"!(environment_id in ["test", "staging"])"#,
            "affected_rows in [1, 1500]",
            #"table_name.startsWith("ord") && table_name.endsWith("ers") && table_name.contains("rde")"#,
            #"table_name.matches("^or.*s$")"#,
            #"database_name == 'app' && project_id == "DEMO" && db_engine == "SQLITE""#,
            "affected_rows > -1",
            "(((true)))",
            #"environment_id == "prod" && (sql_type == "DROP_TABLE" || affected_rows > 1000)"#,
            #""a" < "b""#,
            "true == !false",
        ]
        for text in matched { #expect(try eval(text) == .matched, "\(text)") }
        let notMatched = [#"environment_id == "test""#, "affected_rows > 1500", #"table_name.matches("^x")"#,
                          #"sql_type in []"#, "false || false", #"table_name.contains("zz")"#]
        for text in notMatched { #expect(try eval(text) == .notMatched, "\(text)") }
    }

    @Test func unmeasuredRowCountsAreUnknownInThreeValuedLogic() throws {
        var facts = prodAlter
        facts.affectedRows = nil
        facts.tableRows = nil
        #expect(try eval("affected_rows > 1000", facts) == .undecided(missing: [.affectedRows]))
        #expect(try eval("!(affected_rows > 1000)", facts) == .undecided(missing: [.affectedRows]))
        #expect(try eval("affected_rows > 1 || table_rows > 1", facts) == .undecided(missing: [.affectedRows, .tableRows]))
        // A known answer wins over an unknown one.
        #expect(try eval(#"environment_id == "test" && affected_rows > 1000"#, facts) == .notMatched)
        #expect(try eval(#"environment_id == "prod" || affected_rows > 1000"#, facts) == .matched)
        #expect(try eval("affected_rows in [1, 2]", facts) == .undecided(missing: [.affectedRows]))
    }

    @Test func theCompiledConditionKnowsItsVariables() throws {
        let c = try RiskCondition.compile(#"environment_id == "prod" && affected_rows > 10"#)
        #expect(c.variables == [.environmentId, .affectedRows])
    }

    @Test func syntaxErrorsCarryTheirColumn() throws {
        let cases: [(String, Int, String)] = [
            (#"environment_id == "prod"#, 19, "unterminated string"),
            ("environment_id == 'prod", 19, "unterminated string"),
            (#"environment_id = "prod""#, 16, "'=' is not an operator: compare with '=='"),
            ("affected_rows > 10 & true", 20, "use '&&'"),
            ("affected_rows > 10 | true", 20, "use '||'"),
            ("affected_rows >", 16, "expected a value after '>'"),
            ("affected_rows > 10 &&", 22, "expected a value after '&&'"),
            ("(affected_rows > 10", 20, "missing ')' to close the '(' at column 1"),
            ("affected_rows > 10)", 19, "unexpected ')'"),
            (#"sql_type in ["A", "B""#, 22, "missing ']' to close the '[' at column 13"),
            (#"sql_type in ["A" "B"]"#, 18, "expected ',' or ']'"),
            ("1 < 2 < 3", 7, "comparisons cannot be chained"),
            (#"environment_id == "prod" "test""#, 26, "join conditions with '&&' or '||'"),
            ("size(table_name) > 1", 1, "unknown function 'size'"),
            ("table_name.startsWith", 22, "is a method"),
            ("affected_rows > 1.5", 17, "only whole numbers"),
            ("affected_rows > 99999999999999999999", 17, "too large"),
            (#"table_name == "a\q""#, 17, "unknown escape"),
            ("environment_id == #", 19, "unexpected character '#'"),
            ("", 1, "the condition is empty"),
            ("()", 2, "empty parentheses"),
            ("- x", 3, "'-' must be followed by a number"),
        ]
        for (text, column, message) in cases {
            let e = try #require(failure(text), "\(text) should not compile")
            #expect(e.kind == .syntax, "\(text): \(e)")
            #expect(e.column == column, "\(text): \(e)")
            #expect(e.message.contains(message), "\(text): \(e)")
        }
    }

    @Test func typeErrorsCarryTheirColumnAndSayWhatMismatched() throws {
        let cases: [(String, Int, String)] = [
            (#"envronment_id == "prod""#, 1, "unknown variable 'envronment_id' (did you mean environment_id?)"),
            ("bogus > 1", 1, "unknown variable 'bogus'; known variables: environment_id"),
            (#"affected_rows == "prod""#, 15, #"'==' compares affected_rows (int) with "prod" (string)"#),
            (#"environment_id > 5"#, 16, "'>' compares environment_id (string) with 5 (int)"),
            ("environment_id", 1, "a condition must be true or false, but environment_id is a string"),
            ("affected_rows && true", 1, "'&&' joins true/false conditions, but affected_rows is an int"),
            (#"!table_name"#, 1, "'!' needs true/false, but table_name is a string"),
            (#"affected_rows in ["a", "b"]"#, 15, "'in' looks for affected_rows (int) in a list of string"),
            (#"environment_id in "prod""#, 16, "'in' needs a list on its right"),
            (#"sql_type in ["A", 1]"#, 19, "this list mixes string and int"),
            ("affected_rows.contains(\"1\")", 15, "contains works on strings, but affected_rows is an int"),
            (#"table_name.startswith("a")"#, 12, "unknown method 'startswith' (did you mean startsWith?)"),
            ("table_name.contains(1)", 21, "contains needs a string argument, but 1 is an int"),
            (#"table_name.contains("a", "b")"#, 12, "takes exactly one string argument, got 2"),
            ("table_name.matches(database_name)", 20, "matches needs a literal pattern"),
            (#"table_name.matches("(")"#, 20, "invalid regular expression"),
            ("true < false", 6, "cannot order true/false"),
            (#"sql_type == ["A"]"#, 10, "cannot compare with a list; write sql_type in [\"A\"]"),
        ]
        for (text, column, message) in cases {
            let e = try #require(failure(text), "\(text) should not compile")
            #expect(e.kind == .type || e.kind == .syntax, "\(text): \(e)")
            #expect(e.column == column, "\(text): \(e)")
            #expect(e.message.contains(message), "\(text): \(e)")
        }
    }

    @Test func deepNestingIsRefusedWithAClearMessageNotACrash() throws {
        let deep = String(repeating: "(", count: 2000) + "true" + String(repeating: ")", count: 2000)
        let e = try #require(failure(deep))
        #expect(e.kind == .tooComplex)
        #expect(e.message.contains("nested too deeply (more than \(ExpressionLimits.maxDepth) levels)"))
        let nots = String(repeating: "!", count: 4000) + "true"
        #expect(failure(nots)?.kind == .tooComplex)
        let lists = "affected_rows in " + String(repeating: "[", count: 3000)
        #expect(failure(lists)?.kind == .tooComplex)
        // Just inside the limit is fine.
        let ok = String(repeating: "(", count: ExpressionLimits.maxDepth - 1) + "true" + String(repeating: ")", count: ExpressionLimits.maxDepth - 1)
        #expect(try eval(ok) == .matched)
        // A long flat chain is not deep.
        let chain = (0..<150).map { "affected_rows != \($0)" }.joined(separator: " && ")
        #expect(try eval(chain) == .matched)
        let long = String(repeating: "true && ", count: 1000) + "true"
        #expect(failure(long)?.message.contains("too long") == true)
    }

    @Test func errorsRenderACaretUnderTheColumn() throws {
        let e = try #require(failure(#"environment_id == "prod"#))
        #expect(e.description == "column 19: unterminated string: the \" opened here is never closed")
        #expect(e.caretSnippet(indent: "") == "environment_id == \"prod\n                  ^")
        let multi = try #require(failure("environment_id == \"prod\" &&\n  bogus > 1"))
        #expect(multi.line == 2)
        #expect(multi.column == 3)
        #expect(multi.description.hasPrefix("line 2, column 3: unknown variable 'bogus'"))
        #expect(multi.caretSnippet(indent: "") == "  bogus > 1\n  ^")
    }

    @Test func workspaceErrorsForConditionsAreUsageErrorsWithTheCaret() throws {
        do {
            _ = try Workspace.compileCondition("affected_rows > ")
            Issue.record("should have thrown")
        } catch let e as SluiceError {
            #expect(e.kind == .usage)
            #expect(e.message.contains("column 17: expected a value after '>'"))
            #expect(e.message.hasSuffix("  affected_rows > \n                  ^"))
        }
    }
}
