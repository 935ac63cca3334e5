import ArgumentParser
import Foundation
import SluiceEngine
import SluiceSQL

/// `sluice review FILE…`: SQL review alone, like a linter. Exit 1 when a finding is an ERROR.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "SQL review of files, like a linter (exit 1 on errors).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var dialect: SQLCommand.DialectOption
    @Option(help: "A review configuration: TOML as in the settings file's [sql_review.ENV] (\"RULE\" = \"ERROR\" or { level = \"WARNING\", PARAMETER = … }), or JSON ({\"rules\": {\"RULE\": {\"level\": …, \"parameters\": {…}}}}).") var config: String?
    @Option(help: "Use this environment's review configuration from the workspace.") var env: String?
    @Flag(help: "Turn on every rule (disabled ones as warnings).") var enableAll = false
    @Option(help: "human or gcc") var format: String = "human"
    @Flag(help: "List the rules with their default levels and parameters.") var rules = false
    @Argument var files: [String] = []

    /// One row of `review --json` (CLI.md).
    struct Row: Encodable {
        var file: String, line: Int, column: Int, rule: String, level: String, message: String, fix: String
    }

    func run() throws {
        try runCommand {
            if rules {
                for rule in ReviewRules.all {
                    let parameters = rule.defaultParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\(describe($0.value))" }
                    print("\(rule.name.padding(toLength: 46, withPad: " ", startingAt: 0)) \(rule.defaultLevel.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(rule.dialects.map(\.rawValue).sorted().joined(separator: ","))  \(rule.summary)\(parameters.isEmpty ? "" : " [\(parameters.joined(separator: " "))]")")
                }
                return
            }
            guard !files.isEmpty else { throw SluiceError.usage("name the SQL files to review", hint: "sluice review --engine postgres migration.sql") }
            guard format == "human" || format == "gcc" else { throw SluiceError.usage("unknown format '\(format)'", hint: "Use human or gcc.") }
            var settings = try loadConfig()
            if enableAll {
                for (name, setting) in ReviewConfig.allEnabled.rules where (settings.rules[name]?.level ?? .disabled) == .disabled {
                    settings.rules[name] = ReviewRuleSetting(level: setting.level, parameters: settings.rules[name]?.parameters)
                }
            }
            let dialect = try dialect.dialect()
            var rows: [Row] = []
            for file in files {
                let sql = try SQLCommand.read(file)
                for f in SQLReviewer.review(sql, dialect: dialect, config: settings) {
                    rows.append(Row(file: file, line: f.line, column: f.column, rule: f.rule, level: f.level.rawValue, message: f.message, fix: f.fix))
                }
            }
            if global.json {
                print(try Output.json(rows))
            } else if format == "gcc" {
                for r in rows { print("\(r.file):\(r.line):\(r.column): \(r.level == "ERROR" ? "error" : "warning"): \(r.message) [\(r.rule)]") }
            } else {
                for r in rows {
                    print("\(r.file):\(r.line):\(r.column)  \(r.level)  \(r.rule)\n    \(r.message)\n    fix: \(r.fix)")
                }
                let errors = rows.filter { $0.level == "ERROR" }.count
                print("\(files.count) file(s): \(errors) error(s), \(rows.count - errors) warning(s)")
            }
            if rows.contains(where: { $0.level == "ERROR" }) { throw ExitCode(1) }
        }
    }

    private func loadConfig() throws -> ReviewConfig {
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else { throw SluiceError.notFound("cannot read \(config)") }
            let text = String(decoding: data, as: UTF8.self)
            if config.hasSuffix(".json") || text.drop(while: \.isWhitespace).first == "{" {
                let parsed: ReviewConfig
                do { parsed = try JSONDecoder().decode(ReviewConfig.self, from: data) } catch {
                    throw SluiceError.usage("\(config) is not a review configuration: \(error)")
                }
                guard parsed.problems.isEmpty else {
                    throw SluiceError.usage("\(config) is not a usable review configuration: \(parsed.problems.joined(separator: "; "))",
                                            hint: "See the rules and their parameters with `sluice review --rules`.")
                }
                return parsed
            }
            let (parsed, problems) = ReviewConfigTOML.read(text)
            guard let parsed else {
                throw SluiceError.usage("\(config) is not a review configuration:\n" + problems.map { p in
                    "\(config):\(p.line.map(String.init) ?? "?"): \(p.path.isEmpty ? "" : p.path + ": ")\(p.message)"
                }.joined(separator: "\n"), hint: "Write \"RULE\" = \"LEVEL\" lines, as under [sql_review.ENV] in `sluice settings export`.")
            }
            return parsed
        }
        if let env {
            let ctx = try CommandContext(global)
            return try ctx.workspace.reviewConfig(environment: env) ?? .default
        }
        return .default
    }

    private func describe(_ p: ReviewParameter) -> String {
        switch p {
        case .int(let v): "\(v)"
        case .string(let v): v
        case .bool(let v): "\(v)"
        case .list(let v): v.joined(separator: ",")
        }
    }
}
