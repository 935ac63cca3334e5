import Foundation

/// Writes settings as TOML, deterministically: the same settings always give the same bytes.
enum SettingsTOMLWriter {
    static func write(_ s: WorkspaceSettings) -> String {
        var out = """
        # Sluice workspace settings: environments, custom roles, risk rules, approval flows and rules.
        # Apply with `sluice settings apply FILE`. A section present here replaces that part of the
        # workspace (entries left out are removed); a section left out of the file is left alone.
        version = \(WorkspaceSettings.formatVersion)

        """
        let sections: [(WorkspaceSettings.Section, Int)] = [
            (.environment, s.environments?.count ?? 0), (.role, s.roles?.count ?? 0), (.riskRule, s.riskRules?.count ?? 0),
            (.approvalFlow, s.flows?.count ?? 0), (.approvalRule, s.approvalRules?.count ?? 0),
        ]
        // Empty sections are written as empty arrays, which must come before the first table.
        for (section, count) in sections where count == 0 { out += "\(section.rawValue) = []\n" }
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
        out += sqlReviewSection()
        return out
    }

    /// SQL REVIEW: issue 4's per-environment review configuration is written here.
    static func sqlReviewSection() -> String {
        "\n# [sql_review.ENVIRONMENT]: SQL review configuration; this build has none to export.\n"
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
