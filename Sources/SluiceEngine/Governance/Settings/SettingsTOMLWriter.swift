import Foundation
import SluiceSQL

/// Writes settings as TOML, deterministically: the same settings always give the same bytes.
enum SettingsTOMLWriter {
    static func write(_ s: WorkspaceSettings) -> String {
        var out = """
        # Sluice workspace settings: environments, custom roles, risk rules, approval flows and rules,
        # SQL review policies. Apply with `sluice settings apply FILE`. A section present here replaces
        # that part of the workspace (entries left out are removed); a section left out is left alone.
        version = \(WorkspaceSettings.formatVersion)

        """
        let sections: [(WorkspaceSettings.Section, Int)] = [
            (.environment, s.environments?.count ?? 0), (.role, s.roles?.count ?? 0), (.riskRule, s.riskRules?.count ?? 0),
            (.approvalFlow, s.flows?.count ?? 0), (.approvalRule, s.approvalRules?.count ?? 0),
        ]
        // Empty sections are written as empty arrays, which must come before the first table.
        for (section, count) in sections where count == 0 { out += "\(section.rawValue) = []\n" }
        if s.sqlReview?.isEmpty ?? true { out += "sql_review = {}\n" }
        for e in s.environments ?? [] {
            out += "\n[[environment]]\n"
            out += "name = \(quote(e.name))\norder = \(e.order)\nprotected = \(e.protected)\n"
            out += "rollout = \(quote(e.autoRollout ? "automatic" : "manual"))\nrollout_roles = \(array(e.rolloutRoles))\n"
        }
        for r in s.roles ?? [] {
            out += "\n[[role]]\nname = \(quote(r.name))\npermissions = \(array(r.permissions))\n"
        }
        for r in s.riskRules ?? [] {
            out += "\n[[risk_rule]]\ntitle = \(quote(r.title))\nsource = \(quote(r.source.rawValue))\n"
            out += "level = \(quote(r.level.rawValue))\nactive = \(r.active)\ncondition = \(quote(r.condition))\n"
        }
        for f in s.flows ?? [] {
            out += "\n[[approval_flow]]\nname = \(quote(f.name))\nroles = \(array(f.roles))\n"
        }
        for r in s.approvalRules ?? [] {
            out += "\n[[approval_rule]]\nsource = \(quote(r.source.rawValue))\nlevel = \(quote(r.level.rawValue))\nflow = \(quote(r.flow))\n"
        }
        out += sqlReviewSection(s.sqlReview ?? [:], order: (s.environments ?? []).map(\.name))
        return out
    }

    /// `[sql_review.ENV]` tables in environment order: `"rule" = "LEVEL"`, or an inline table
    /// `{ level = "LEVEL", parameter = value, … }` when the rule has parameters; rules sorted.
    static func sqlReviewSection(_ review: [String: ReviewConfig], order: [String]) -> String {
        let rank = { (env: String) in order.firstIndex(of: env) ?? order.count }
        var out = ""
        for (env, config) in review.sorted(by: { rank($0.key) != rank($1.key) ? rank($0.key) < rank($1.key) : $0.key < $1.key }) {
            out += "\n[sql_review.\(key(env))]\n"
            if config.rules.isEmpty { out += "# no rule named: every rule at its default level\n" }
            for (name, setting) in config.rules.sorted(by: { $0.key < $1.key }) {
                let parameters = (setting.parameters ?? [:]).sorted { $0.key < $1.key }
                let level = quote(setting.level.rawValue)
                out += "\(key(name)) = " + (parameters.isEmpty ? level
                    : "{ level = \(level), " + parameters.map { "\(key($0.key)) = \(value($0.value))" }.joined(separator: ", ") + " }") + "\n"
            }
        }
        return out
    }

    static func value(_ p: ReviewParameter) -> String {
        switch p {
        case .int(let v): "\(v)"
        case .string(let v): quote(v)
        case .bool(let v): "\(v)"
        case .list(let v): array(v)
        }
    }

    /// A TOML key: bare when it can be, else quoted (rule names, with their dots, always are).
    static func key(_ s: String) -> String {
        let bare = !s.isEmpty && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        return bare ? s : quote(s)
    }

    static func array(_ items: [String]) -> String {
        "[" + items.map(quote).joined(separator: ", ") + "]"
    }

    /// A TOML string: a literal string ('…') when that needs no escaping and the text has a
    /// double quote or backslash, else a basic string ("…") with escapes.
    static func quote(_ s: String) -> String {
        let plain = !s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        if plain && !s.contains("'") && (s.contains("\"") || s.contains("\\")) { return "'\(s)'" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += String(format: "\\u%04X", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
