import ArgumentParser
import Foundation
import SluiceEngine

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "risk", abstract: "Risk rules: how risky a change is, by a condition.",
                                                    subcommands: [List.self, Add.self, Set.self, Remove.self, Templates.self])

    static func table(_ rules: [RiskRule]) -> String {
        Output.table(["ID", "ACTIVE", "SOURCE", "LEVEL", "TITLE", "CONDITION"], rules.map {
            ["\($0.id)", $0.active ? "yes" : "no", $0.source.rawValue, $0.level.rawValue, $0.title, $0.condition]
        })
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List risk rules.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let rules = try ctx.workspace.riskRules()
                try ctx.emit(rules) { RiskCommand.table(rules) }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a risk rule (its condition is checked now), or one from a template.",
            discussion: "Example: sluice risk add --source DDL --level HIGH --title \"DDL on prod is HIGH\" --condition 'environment_id == \"prod\"'")
        @OptionGroup var global: GlobalOptions
        @Option var source: String?
        @Option var level: String?
        @Option var title: String?
        @Option(help: "A CEL-like condition, e.g. environment_id == \"prod\" && affected_rows > 1000.") var condition: String?
        @Option(help: "Add a shipped template instead (see `sluice risk templates`).") var template: String?
        @Flag(help: "Add the rule switched off.") var inactive = false
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let actor = try ctx.principal()
                var rule: RiskRule
                if let template {
                    guard source == nil, condition == nil else { throw SluiceError.usage("--template replaces --source and --condition") }
                    rule = try ctx.workspace.addRiskRule(by: actor, template: template, title: title, level: try level.map(RiskLevel.parse))
                    if inactive { rule = try ctx.workspace.updateRiskRule(by: actor, id: rule.id, active: false) }
                } else {
                    guard let source, let level, let title, let condition else {
                        throw SluiceError.usage("give --source, --level, --title and --condition (or --template NAME)")
                    }
                    rule = try ctx.workspace.addRiskRule(by: actor, title: title, source: try RiskSource.parse(source),
                                                         level: try RiskLevel.parse(level), condition: condition, active: !inactive)
                }
                try ctx.emit(rule) { "Risk rule \(rule.id) added: \(rule.source.rawValue) is \(rule.level.rawValue) when \(rule.condition)." }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a risk rule (switch it on or off with --active).")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var title: String?
        @Option var source: String?
        @Option var level: String?
        @Option var condition: String?
        @Option(help: "true or false.") var active: Bool?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let rule = try ctx.workspace.updateRiskRule(by: try ctx.principal(), id: id, title: title, source: try source.map(RiskSource.parse),
                                                            level: try level.map(RiskLevel.parse), condition: condition, active: active)
                try ctx.emit(rule) { RiskCommand.table([rule]) }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a risk rule.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let rule = try ctx.workspace.removeRiskRule(by: try ctx.principal(), id: id)
                try ctx.emit(rule) { "Risk rule \(rule.id) (\(rule.title)) removed." }
            }
        }
    }

    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shipped risk rule templates and the variables conditions can use.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let templates = RiskTemplate.all
                try ctx.emit(templates) {
                    Output.table(["TEMPLATE", "SOURCE", "LEVEL", "TITLE", "CONDITION"],
                                 templates.map { [$0.name, $0.source.rawValue, $0.level.rawValue, $0.title, $0.condition] })
                        + "\n\n{protected} becomes the protected environments when the template is added (sluice risk add --template NAME).\n\nVariables:\n"
                        + RiskVariable.allCases.map { "  \($0.rawValue) (\($0.type)): \($0.summary)" }.joined(separator: "\n")
                }
            }
        }
    }
}

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "Workspace settings as one TOML file, for git.",
                                                    subcommands: [Export.self, Apply.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write environments, roles, risk rules, flows and approval rules as TOML.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "File to write (default: standard output).") var file: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let text = try ctx.workspace.exportSettings(by: try ctx.principal())
                if let file {
                    do { try text.write(toFile: file, atomically: true, encoding: .utf8) } catch {
                        throw SluiceError.failure("cannot write \(file): \(error.localizedDescription)")
                    }
                    Terminal.note("Settings written to \(file).")
                } else {
                    Output.write(text)
                }
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a settings file whole, then apply it in one transaction.")
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let text = try SheetText.read(file: file)
                let report = try ctx.workspace.applySettings(by: try ctx.principal(), toml: text, file: file)
                try ctx.emit(report) {
                    report.changes.isEmpty ? "No changes: the workspace already matches \(file)."
                        : "Applied \(file):\n" + report.changes.map { "  \($0)" }.joined(separator: "\n")
                }
            }
        }
    }
}

struct ProjectSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a project's approval and rollout options.")
    @OptionGroup var global: GlobalOptions
    @Argument var key: String
    @Option(help: "true or false: may the creator of an issue approve it?") var allowSelfApproval: Bool?
    @Option(help: "true or false: resolve an issue when its last stage finishes.") var autoResolve: Bool?
    @Option(help: "true or false: may an automatic stage start while a plan check has a WARNING? (an ERROR always holds it)")
    var allowWarnings: Bool?
    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global)
            let p = try ctx.workspace.setProjectPolicy(by: try ctx.principal(), project: key, allowSelfApproval: allowSelfApproval,
                                                       autoResolve: autoResolve, allowWarnings: allowWarnings)
            try ctx.emit(p) {
                "Project \(p.key): self-approval \(p.allowSelfApproval ? "allowed" : "not allowed"), auto-resolve \(p.autoResolve ? "on" : "off"), "
                    + "plan-check warnings \(p.allowWarnings ? "allowed" : "hold automatic stages")."
            }
        }
    }
}
