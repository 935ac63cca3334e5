import Foundation
import Testing
@testable import SluiceSQL

@Suite struct SQLReviewTests {
    /// Only `rule` speaks, at ERROR, with the example's parameters.
    private func config(only rule: String, _ parameters: [String: ReviewParameter]) -> ReviewConfig {
        var config = ReviewConfig()
        for r in ReviewRules.all { config.rules[r.name] = ReviewRuleSetting(level: .disabled) }
        config.rules[rule] = ReviewRuleSetting(level: .error, parameters: parameters.isEmpty ? nil : parameters)
        return config
    }

    @Test(arguments: RuleExample.all)
    func ruleFiresOnTheBadExampleAndStaysQuietOnTheGoodOne(_ example: RuleExample) {
        let config = config(only: example.rule, example.parameters)
        let bad = SQLReviewer.review(example.bad, dialect: example.dialect, config: config, affectedRows: example.affectedRows)
        let hits = bad.filter { $0.rule == example.rule }
        #expect(!hits.isEmpty, "no finding on \(example.bad.debugDescription): \(bad)")
        #expect(hits.allSatisfy { $0.level == .error && !$0.message.isEmpty && !$0.fix.isEmpty && $0.line >= 1 && $0.column >= 1 })
        let good = SQLReviewer.review(example.good, dialect: example.dialect, config: config, affectedRows: example.goodAffectedRows)
        #expect(good.filter { $0.rule == example.rule }.isEmpty, "\(good)")
    }

    @Test func everyRuleHasAnExampleAndThereAreAtLeastForty() {
        let covered = Set(RuleExample.all.map(\.rule))
        let missing = ReviewRules.all.map(\.name).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "rules without a test example: \(missing)")
        #expect(ReviewRules.all.count >= 40)
        #expect(Set(ReviewRules.all.map(\.name)).count == ReviewRules.all.count, "duplicate rule names")
        for example in RuleExample.all {
            #expect(ReviewRules.byName[example.rule]?.dialects.contains(example.dialect) == true, "\(example)")
        }
    }

    @Test func findingsCarryThePositionInTheSheet() throws {
        let sql = "-- é\nSELECT 1;\n\n  UPDATE t SET a = 1;\n"
        let findings = SQLReviewer.review(sql, dialect: .postgres)
        let finding = try #require(findings.first { $0.rule == "statement.where.require.update-delete" })
        #expect(finding.line == 4 && finding.column == 3 && finding.statementIndex == 1)
        #expect(finding.level == .error)
    }

    @Test func positionsPointAtTheOffendingNode() throws {
        let sql = "SET lock_timeout = '1s';\nALTER TABLE t\n  ADD CONSTRAINT c CHECK (a > 0);"
        let findings = SQLReviewer.review(sql, dialect: .postgres)
        let finding = try #require(findings.first { $0.rule == "statement.add-check-not-valid" })
        #expect(finding.line == 3 && finding.column == 7)
    }

    @Test(arguments: SQLDialect.allCases)
    func anIgnoreCommentSuppressesTheNamedRulesOnItsStatementOnly(_ dialect: SQLDialect) {
        let sql = """
            -- sluice:ignore statement.where.require.update-delete
            DELETE FROM t;
            DELETE FROM u; -- not this one
            DELETE FROM v /* sluice:ignore naming.table, statement.where.require.update-delete */;
            """
        let findings = SQLReviewer.review(sql, dialect: dialect).filter { $0.rule == "statement.where.require.update-delete" }
        #expect(findings.map(\.line) == [3])
    }

    @Test func unsplittableSheetsGiveOneSyntaxError() throws {
        let findings = SQLReviewer.review("SELECT 1;\nSELECT 'open", dialect: .sqlite)
        #expect(findings.count == 1)
        #expect(findings.first?.rule == "statement.syntax-error" && findings.first?.line == 2 && findings.first?.level == .error)
        let parse = SQLReviewer.review("SELECT 1;\nCREATE TABLE t (a int,);", dialect: .postgres)
        #expect(parse.first?.rule == "statement.syntax-error" && parse.first?.line == 2)
    }

    @Test func defaultLevelsAndConfigurationLevels() {
        // table.require-pk warns by default; a configuration can make it an error or silence it.
        let sql = "CREATE TABLE t (a int);"
        #expect(SQLReviewer.review(sql, dialect: .postgres).first { $0.rule == "table.require-pk" }?.level == .warning)
        let strict = ReviewConfig(rules: ["table.require-pk": ReviewRuleSetting(level: .error)])
        #expect(SQLReviewer.review(sql, dialect: .postgres, config: strict).first { $0.rule == "table.require-pk" }?.level == .error)
        let off = ReviewConfig(rules: ["table.require-pk": ReviewRuleSetting(level: .disabled)])
        #expect(SQLReviewer.review(sql, dialect: .postgres, config: off).allSatisfy { $0.rule != "table.require-pk" })
        #expect(ReviewConfig.allEnabled.level(of: ReviewRules.byName["column.no-null"]!) == .warning)
    }

    @Test func configurationRoundTripsThroughCodable() throws {
        let config = ReviewConfig(rules: [
            "statement.affected-row-limit": ReviewRuleSetting(level: .error, parameters: ["maxRows": .int(50)]),
            "column.type-disallow-list": ReviewRuleSetting(level: .warning, parameters: ["types": .list(["money", "json"])]),
            "naming.table": ReviewRuleSetting(level: .disabled, parameters: ["format": .string("^t_")]),
        ])
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ReviewConfig.self, from: data) == config)
        #expect(ReviewConfig(rules: ["no.such-rule": .init(level: .error)]).unknownRuleNames == ["no.such-rule"])
    }
}
