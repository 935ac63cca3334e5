import Foundation
import SluiceSQL
import TOMLKit

/// The `[sql_review]` part of a settings file: one table per environment, each mapping a rule
/// name to its level (`"table.require-pk" = "ERROR"`) or to an inline table of level and
/// parameters (`"naming.table" = { level = "WARNING", format = "^[a-z_]+$" }`). Rules a table
/// does not name keep their default level and parameters.
extension SettingsTOMLReader {
    /// Every environment's policy as written, or nil when the section is not a table.
    /// Whether the environments exist is the validator's business (it knows the workspace).
    mutating func sqlReview(_ value: TOMLValueConvertible) -> [String: ReviewConfig]? {
        guard let table = value.table else {
            reviewProblem("sql_review", nil, nil,
                          "must be a table: [sql_review.ENVIRONMENT] sections, or sql_review = {} for no policy anywhere, not \(value.type)")
            return nil
        }
        var out: [String: ReviewConfig] = [:]
        for env in table.keys.sorted() {
            let section = "sql_review.\(env)"
            guard Self.isValidName(env) else {
                reviewProblem(section, nil, nil, "'\(env)' is not a valid environment name")
                continue
            }
            guard let rules = table[env]?.table else {
                reviewProblem(section, nil, nil, "must be a table of rule = level, written [sql_review.\(SettingsTOMLWriter.key(env))]")
                continue
            }
            if let config = ruleTable(rules, section: section) { out[env] = config }
        }
        return out
    }

    /// A table of `rule = level` or `rule = { level, parameters… }`: the body of one
    /// `[sql_review.ENV]` (section `sql_review.ENV`) or a whole `sluice review --config` file
    /// (section ""). Nil when something in it is wrong (the problems are recorded).
    mutating func ruleTable(_ rules: TOMLTable, section: String) -> ReviewConfig? {
        var config = ReviewConfig(), clean = true
        for name in rules.keys.sorted() {
            guard let rule = ReviewRules.byName[name], let value = rules[name] else {
                let guess = ExpressionTypeChecker.closest(name, in: ReviewRules.all.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
                reviewProblem(section, name, nil, "unknown SQL review rule '\(name)'\(guess); `sluice review --rules` lists them")
                clean = false
                continue
            }
            if let setting = ruleSetting(value, rule, section: section) { config.rules[name] = setting } else { clean = false }
        }
        return clean ? config : nil
    }

    private mutating func ruleSetting(_ value: TOMLValueConvertible, _ rule: ReviewRule, section: String) -> ReviewRuleSetting? {
        if let text = value.string {
            return level(text, rule.name, nil, section: section).map { ReviewRuleSetting(level: $0) }
        }
        guard let table = value.table else {
            reviewProblem(section, rule.name, nil,
                          "must be a level (\"ERROR\", \"WARNING\" or \"DISABLED\") or a table { level = \"…\", PARAMETER = … }, not \(value.type)")
            return nil
        }
        var level: ReviewLevel?
        if let v = table["level"] {
            if let text = v.string { level = self.level(text, rule.name, "level", section: section) } else {
                reviewProblem(section, rule.name, "level", "must be \"ERROR\", \"WARNING\" or \"DISABLED\", not \(v.type)")
            }
        } else {
            reviewProblem(section, rule.name, "level", "missing: write { level = \"ERROR\", … } (or \"WARNING\", \"DISABLED\")")
        }
        var parameters: [String: ReviewParameter] = [:], clean = true
        for name in table.keys.sorted() where name != "level" {
            guard let v = table[name] else { continue }
            let why: String?
            if let parameter = Self.parameter(v) {
                why = rule.parameterProblem(name, parameter)
                if why == nil { parameters[name] = parameter }
            } else if let expected = rule.defaultParameters[name] {
                why = "parameter '\(name)' of \(rule.name) must be \(expected.kindDescription), not \(v.type)"
            } else {
                why = rule.parameterProblem(name, .bool(false)) // not a parameter of this rule, whatever its value
            }
            if let why { reviewProblem(section, rule.name, name, why); clean = false }
        }
        guard let level, clean else { return nil }
        return ReviewRuleSetting(level: level, parameters: parameters.isEmpty ? nil : parameters)
    }

    private mutating func level(_ text: String, _ rule: String, _ key: String?, section: String) -> ReviewLevel? {
        if let level = ReviewLevel(rawValue: text.uppercased()) { return level }
        reviewProblem(section, rule, key, "'\(text)' is not a review level: use ERROR, WARNING or DISABLED")
        return nil
    }

    /// A TOML value as a rule parameter: a whole number, a string, a boolean or a list of strings.
    private static func parameter(_ v: TOMLValueConvertible) -> ReviewParameter? {
        if let i = v.int { return .int(i) }
        if let s = v.string { return .string(s) }
        if let b = v.bool { return .bool(b) }
        if let a = v.array {
            let items = a.compactMap { $0.string }
            return items.count == a.count ? .list(items) : nil
        }
        return nil
    }

    /// Records a problem under `section` (`sql_review.prod`, or "" for a bare rule table).
    mutating func reviewProblem(_ section: String, _ rule: String?, _ parameter: String?, _ message: String) {
        var path = section.split(separator: ".", maxSplits: 1).enumerated()
            .map { $0.offset == 0 ? String($0.element) : SettingsTOMLWriter.key(String($0.element)) }.joined(separator: ".")
        if let rule { path += (path.isEmpty ? "" : ".") + SettingsTOMLWriter.key(rule) }
        if let parameter { path += ".\(parameter)" }
        problem(path: path, line: locator.reviewLine(section, rule, parameter), message)
    }
}

/// `sluice review --config FILE` in TOML: either the body of one `[sql_review.ENV]` table (rule =
/// level lines at the top of the file) or a settings file whose `[sql_review]` has exactly one
/// environment. The same shape, the same checks and the same line numbers as `settings apply`.
public enum ReviewConfigTOML {
    public static func read(_ text: String) -> (ReviewConfig?, [SettingsProblem]) {
        let (parsed, syntax) = SettingsTOMLReader.parse(text)
        guard let root = parsed else { return (nil, syntax) }
        var reader = SettingsTOMLReader(text: text)
        var config: ReviewConfig?
        if let section = root["sql_review"] {
            let all = reader.sqlReview(section) ?? [:]
            if reader.problems.isEmpty && all.count != 1 {
                reader.reviewProblem("sql_review", nil, nil, all.isEmpty
                    ? "has no environment's policy; write one [sql_review.ENVIRONMENT] table"
                    : "has the policies of \(all.count) environments (\(all.keys.sorted().joined(separator: ", "))); keep one for `sluice review`")
            }
            config = all.first?.value
        } else {
            config = reader.ruleTable(root, section: "")
        }
        return reader.problems.isEmpty ? (config, []) : (nil, reader.problems)
    }
}

extension TOMLLineLocator {
    /// The line of a rule (or its parameter) under `section` (`sql_review.prod`, or "" for a
    /// bare rule table) when the file has one, else of the nearest table.
    func reviewLine(_ section: String, _ rule: String? = nil, _ parameter: String? = nil) -> Int? {
        let dotted = { (a: String, b: String) in a.isEmpty ? b : "\(a).\(b)" }
        // A rule written as its own table: [sql_review.prod."naming.table"] with level = … lines.
        if let rule, let l = line(section: dotted(section, rule), key: parameter) { return l }
        // rule = … inside [sql_review.prod] (or at the top of a bare rule file); else that header.
        if let rule, let l = line(section: section, key: rule) { return l }
        if let l = line(section: section) { return l }
        // Inline forms: [sql_review] with prod = { … }, or sql_review = { … } at the top.
        let parts = section.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2, let l = line(section: parts[0], key: parts[1]) { return l }
        return parts.first.flatMap { line(section: "", key: $0) ?? firstLine(under: $0) }
    }
}
