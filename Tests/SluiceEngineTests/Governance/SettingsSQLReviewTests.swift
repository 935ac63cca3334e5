import Foundation
import SluiceSQL
import Testing
@testable import SluiceEngine

/// The `[sql_review.ENV]` part of settings as code: round trips, replace semantics, problems with
/// their lines, and a policy applied from a file deciding a new issue's review check.
@Suite struct SettingsSQLReviewTests {
    func applyError(_ t: TestWorkspace, _ text: String) -> SluiceError? {
        do { _ = try t.ws.applySettings(by: t.admin, toml: text, file: "ws.toml"); return nil } catch let e as SluiceError { return e } catch { return nil }
    }

    /// test: rules with parameters of every kind the rules take; prod: a policy naming no rule.
    func configure(_ t: TestWorkspace) throws {
        try t.ws.setReviewConfig(by: t.admin, environment: "test", ReviewConfig(rules: [
            "table.require-pk": .init(level: .error),
            "column.no-null": .init(level: .disabled, parameters: [:]),
            "naming.table": .init(level: .warning, parameters: ["format": .string(#"^[a-z]\w*$"#)]),
            "column.type-disallow-list": .init(level: .error, parameters: ["types": .list(["json", "money"])]),
            "statement.affected-row-limit": .init(level: .warning, parameters: ["maxRows": .int(50)]),
        ]))
        try t.ws.setReviewConfig(by: t.admin, environment: "prod", ReviewConfig())
    }

    @Test func policiesRoundTripByteIdenticallyAndApplyingTwiceChangesNothing() throws {
        let empty = try TestWorkspace()
        #expect(try empty.ws.exportSettings(by: empty.admin).contains("\nsql_review = {}\n"))

        let t = try TestWorkspace()
        try configure(t)
        let first = try t.ws.exportSettings(by: t.dev)
        #expect(!first.contains("sql_review = {}"))
        #expect(first.hasSuffix("""

            [sql_review.test]
            "column.no-null" = "DISABLED"
            "column.type-disallow-list" = { level = "ERROR", types = ["json", "money"] }
            "naming.table" = { level = "WARNING", format = '^[a-z]\\w*$' }
            "statement.affected-row-limit" = { level = "WARNING", maxRows = 50 }
            "table.require-pk" = "ERROR"

            [sql_review.prod]
            # no rule named: every rule at its default level

            """), "\(first)")
        #expect(try t.ws.applySettings(by: t.admin, toml: first).changes.isEmpty)
        #expect(try t.ws.exportSettings(by: t.admin) == first)

        let other = try TestWorkspace()
        #expect(try other.ws.applySettings(by: other.admin, toml: first).changes
                == ["SQL review policy of prod added", "SQL review policy of test added"])
        #expect(try other.ws.exportSettings(by: other.admin) == first)
        #expect(try other.ws.applySettings(by: other.admin, toml: first).changes.isEmpty)
        #expect(try other.ws.reviewConfig(environment: "test") == (try t.ws.reviewConfig(environment: "test"))?.normalized)
        #expect(try other.ws.reviewConfig(environment: "prod") == ReviewConfig())
    }

    @Test func theSectionReplacesEveryPolicyAndItsAbsenceLeavesThemAlone() throws {
        let t = try TestWorkspace()
        try configure(t)
        // No [sql_review]: the policies stay.
        #expect(try t.ws.applySettings(by: t.admin, toml: "version = 1\n").changes.isEmpty)
        #expect(try t.ws.reviewConfig(environment: "prod") != nil)

        // Only test listed: prod loses its policy, test changes two rules (one dropped, one new level).
        let only = """
            [sql_review.test]
            "column.type-disallow-list" = { level = "ERROR", types = ["json", "money"] }
            "naming.table" = { level = "WARNING", format = '^[a-z]\\w*$' }
            "statement.affected-row-limit" = { level = "WARNING", maxRows = 50 }
            "table.require-pk" = "warning"
            """
        #expect(try t.ws.applySettings(by: t.admin, toml: only).changes
                == ["SQL review policy of test changed (column.no-null, table.require-pk)", "SQL review policy of prod removed"])
        #expect(try t.ws.reviewConfig(environment: "prod") == nil)
        #expect(try t.ws.reviewConfig(environment: "test")?.rules["table.require-pk"]?.level == .warning)
        #expect(try t.ws.applySettings(by: t.admin, toml: only).changes.isEmpty)

        // A new environment and its policy in one file; removing the environment later takes the policy along.
        let envs = try t.ws.exportSettings(by: t.admin).components(separatedBy: "\n[sql_review.").first ?? ""
        let withQA = envs + "\n[[environment]]\nname = \"qa.eu\"\norder = 2\n\n[sql_review.\"qa.eu\"]\n\"column.no-null\" = \"ERROR\"\n"
        #expect(Set(try t.ws.applySettings(by: t.admin, toml: withQA).changes)
                == ["environment qa.eu added", "SQL review policy of qa.eu added", "SQL review policy of test removed"])
        #expect(try t.ws.exportSettings(by: t.admin).contains("[sql_review.\"qa.eu\"]\n\"column.no-null\" = \"ERROR\"\n"))
        #expect(try t.ws.applySettings(by: t.admin, toml: envs).changes == ["environment qa.eu removed", "SQL review policy of qa.eu removed"])

        // sql_review = {} clears every policy.
        try configure(t)
        #expect(try t.ws.applySettings(by: t.admin, toml: "sql_review = {}\n").changes
                == ["SQL review policy of prod removed", "SQL review policy of test removed"])
        #expect(try t.ws.reviewConfig(environment: "test") == nil)
    }

    @Test func everyProblemIsReportedWithItsLineAndNothingIsApplied() throws {
        let t = try TestWorkspace()
        try configure(t)
        let before = try t.ws.exportSettings(by: t.admin)
        let text = """
            version = 1

            [sql_review.test]
            "table.require-pk" = "FATAL"
            "table.requre-pk" = "ERROR"
            "naming.table" = { level = "WARNING", format = 3 }
            "column.type-disallow-list" = { level = "ERROR", kinds = ["json"] }
            "column.no-null" = { format = "x" }
            "statement.affected-row-limit" = 5
            "column.required" = { level = "ERROR", columns = ["id", 2] }

            [sql_review.test."naming.index.idx"]
            level = "SOMETIMES"
            """
        let e = try #require(applyError(t, text))
        let lines = e.message.split(separator: "\n").map(String.init)
        #expect(lines.first == "ws.toml is not valid (9 problems); nothing was applied:", "\(e.message)")
        #expect(lines.contains(#"ws.toml:4: sql_review.test."table.require-pk": 'FATAL' is not a review level: use ERROR, WARNING or DISABLED"#))
        #expect(lines.contains(#"ws.toml:5: sql_review.test."table.requre-pk": unknown SQL review rule 'table.requre-pk' (did you mean table.require-pk?); `sluice review --rules` lists them"#))
        #expect(lines.contains(#"ws.toml:6: sql_review.test."naming.table".format: parameter 'format' of naming.table must be a string, not a whole number"#))
        #expect(lines.contains(#"ws.toml:7: sql_review.test."column.type-disallow-list".kinds: column.type-disallow-list has no parameter 'kinds'; it takes: types"#))
        #expect(lines.contains(#"ws.toml:8: sql_review.test."column.no-null".level: missing: write { level = "ERROR", … } (or "WARNING", "DISABLED")"#))
        #expect(lines.contains(#"ws.toml:8: sql_review.test."column.no-null".format: column.no-null takes no parameters"#))
        #expect(lines.contains { $0.hasPrefix(#"ws.toml:9: sql_review.test."statement.affected-row-limit": must be a level ("ERROR", "WARNING" or "DISABLED") or a table"#) })
        #expect(lines.contains { $0.hasPrefix(#"ws.toml:10: sql_review.test."column.required".columns: parameter 'columns' of column.required must be a list of strings, not "#) })
        #expect(lines.contains(#"ws.toml:13: sql_review.test."naming.index.idx".level: 'SOMETIMES' is not a review level: use ERROR, WARNING or DISABLED"#))
        #expect(try t.ws.exportSettings(by: t.admin) == before)

        // Against the workspace: environments that do not exist (or that this file removes).
        let envs = "\n\n[sql_review.prd]\n\"table.require-pk\" = \"ERROR\"\n\n[sql_review.test]\n"
        let r = try #require(applyError(t, "version = 1" + envs))
        #expect(r.message.contains("ws.toml:3: sql_review.prd: no environment 'prd' (did you mean prod? environments: test, prod)"), "\(r.message)")
        #expect(!r.message.contains("sql_review.test"))
        let s = try #require(applyError(t, "sql_review = []\n"))
        #expect(s.message.contains("ws.toml:1: sql_review: must be a table"), "\(s.message)")
        #expect(try t.ws.exportSettings(by: t.admin) == before)
    }

    @Test func aPolicyFromTheSettingsFileDecidesTheReviewCheckOfANewIssue() throws {
        let t = try TestWorkspace()
        let sql = "CREATE TABLE nokey (a TEXT);"
        func review(_ title: String) throws -> PlanCheck {
            let issue = try t.issue([("test", [(title, 0, sql, [], nil)])])
            return try #require(try t.ws.planChecks(issue: issue.id, by: t.admin).first { $0.kind == .review })
        }
        let none = try review("none")
        #expect(none.status == .success && none.results.first?.title == "no SQL review policy", "\(none)")

        _ = try t.ws.applySettings(by: t.admin, toml: "[sql_review.test]\n\"table.require-pk\" = \"ERROR\"\n")
        let strict = try review("strict")
        #expect(strict.status == .error && strict.results.contains { $0.rule == "table.require-pk" && $0.status == .error && $0.line == 1 }, "\(strict)")

        _ = try t.ws.applySettings(by: t.admin, toml: "[sql_review.test]\n\"table.require-pk\" = \"DISABLED\"\n")
        #expect(try review("lenient").status == .success)
    }

    @Test func reviewConfigFilesUseTheSameShape() throws {
        let (bare, none) = ReviewConfigTOML.read("\"table.require-pk\" = \"ERROR\"\n\"naming.table\" = { level = \"DISABLED\" }\n")
        #expect(none.isEmpty)
        #expect(bare == ReviewConfig(rules: ["table.require-pk": .init(level: .error), "naming.table": .init(level: .disabled)]))
        let (settings, _) = ReviewConfigTOML.read("version = 1\nrole = []\n\n[sql_review.prod]\n\"index.key-number-limit\" = { level = \"ERROR\", max = 3 }\n")
        #expect(settings == ReviewConfig(rules: ["index.key-number-limit": .init(level: .error, parameters: ["max": .int(3)])]))

        let (_, problems) = ReviewConfigTOML.read("\n\"index.key-number-limit\" = { level = \"ERROR\", max = \"3\" }\n")
        #expect(problems.map(\.description) == [#"line 2: "index.key-number-limit".max: parameter 'max' of index.key-number-limit must be a whole number, not a string"#])
        let (_, two) = ReviewConfigTOML.read("[sql_review.a]\n[sql_review.b]\n")
        #expect(two.map(\.description) == ["line 1: sql_review: has the policies of 2 environments (a, b); keep one for `sluice review`"])
        // The engine's own setter refuses what the file reader refuses.
        let t = try TestWorkspace()
        #expect(throws: SluiceError.self) {
            try t.ws.setReviewConfig(by: t.admin, environment: "test", ReviewConfig(rules: ["naming.table": .init(level: .error, parameters: ["format": .int(1)])]))
        }
        #expect(try t.ws.reviewConfig(environment: "test") == nil)
    }
}
