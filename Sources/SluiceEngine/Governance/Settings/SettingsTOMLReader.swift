import Foundation
import TOMLKit

/// Reads and checks a settings file on its own (names, values, conditions, duplicates); checks
/// against the workspace (roles in use, environments with instances) happen when applying.
struct SettingsTOMLReader {
    let locator: TOMLLineLocator
    private(set) var problems: [SettingsProblem] = []

    init(text: String) { locator = TOMLLineLocator(text) }

    /// The settings, or every problem found (never both empty).
    static func read(_ text: String) -> (WorkspaceSettings?, [SettingsProblem]) {
        let (parsed, syntax) = parse(text)
        guard let root = parsed else { return (nil, syntax) }
        var reader = SettingsTOMLReader(text: text)
        let settings = reader.read(root)
        return reader.problems.isEmpty ? (settings, []) : (nil, reader.problems)
    }

    /// The document's root table, or its syntax error with TOMLKit's line.
    static func parse(_ text: String) -> (TOMLTable?, [SettingsProblem]) {
        do {
            return (try TOMLTable(string: text), [])
        } catch let e as TOMLParseError {
            return (nil, [SettingsProblem(line: e.source.begin.line, path: "", message: "not valid TOML: \(e.description) (column \(e.source.begin.column))")])
        } catch {
            return (nil, [SettingsProblem(line: nil, path: "", message: "not valid TOML: \(error)")])
        }
    }

    /// Names of environments, roles and flows: the one rule of `Names`.
    static func isValidName(_ n: String) -> Bool { Names.isValid(n) }

    /// Records a problem at a path whose line is already known (the SQL review part finds its own).
    mutating func problem(path: String, line: Int?, _ message: String) {
        problems.append(SettingsProblem(line: line, path: path, message: message))
    }

    private mutating func problem(_ section: String, _ index: Int?, _ key: String?, _ message: String) {
        let path = index.map { "\(section)[\($0 + 1)]" + (key.map { ".\($0)" } ?? "") } ?? (key.map { section.isEmpty ? $0 : "\(section).\($0)" } ?? section)
        problems.append(SettingsProblem(line: locator.line(section: section, index: index ?? 0, key: key), path: path, message: message))
    }

    private mutating func read(_ root: TOMLTable) -> WorkspaceSettings {
        let known = Set(["version"] + WorkspaceSettings.Section.allCases.map(\.rawValue))
        for key in root.keys where !known.contains(key) {
            problem("", nil, key, "unknown setting '\(key)'; known: \(known.sorted().joined(separator: ", "))")
        }
        if let v = root["version"] {
            if v.int != WorkspaceSettings.formatVersion {
                problem("", nil, "version", "this Sluice reads settings version \(WorkspaceSettings.formatVersion), not \(v.debugDescription)")
            }
        }
        var s = WorkspaceSettings()
        if let review = root["sql_review"] { s.sqlReview = sqlReview(review) }
        let envs = entries(root, .environment), roles = entries(root, .role), risks = entries(root, .riskRule)
        let flows = entries(root, .approvalFlow), rules = entries(root, .approvalRule)
        s.environments = envs.map { $0.compactMap { i, t in environment(t, i) } }
        s.roles = roles.map { $0.compactMap { i, t in role(t, i) } }
        s.riskRules = risks.map { $0.compactMap { i, t in riskRule(t, i) } }
        s.flows = flows.map { $0.compactMap { i, t in flow(t, i) } }
        s.approvalRules = rules.map { $0.compactMap { i, t in approvalRule(t, i) } }
        // Duplicates are found on what was written, valid or not.
        duplicates(envs?.map { $0.1["name"]?.string }, section: "environment", key: "name")
        duplicates(roles?.map { $0.1["name"]?.string }, section: "role", key: "name")
        duplicates(risks?.map { $0.1["title"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) }, section: "risk_rule", key: "title")
        duplicates(flows?.map { $0.1["name"]?.string }, section: "approval_flow", key: "name")
        duplicates(rules?.map { t in t.1["source"]?.string.flatMap { s in t.1["level"]?.string.map { "\(s.uppercased()) × \($0.uppercased())" } } },
                   section: "approval_rule", key: "level")
        return s
    }

    private mutating func duplicates(_ names: [String?]?, section: String, key: String) {
        var seen: [String: Int] = [:]
        for (i, name) in (names ?? []).enumerated() {
            guard let n = name else { continue }
            if let first = seen[n] {
                problem(section, i, key, "\"\(n)\" appears twice (first in \(section)[\(first + 1)])")
            } else {
                seen[n] = i
            }
        }
    }

    /// The tables of an array-of-tables section, or nil when the section is absent.
    private mutating func entries(_ root: TOMLTable, _ section: WorkspaceSettings.Section) -> [(Int, TOMLTable)]? {
        guard let value = root[section.rawValue] else { return nil }
        guard let array = value.array else {
            problem("", nil, section.rawValue, "'\(section.rawValue)' must be a list of tables, written [[\(section.rawValue)]]")
            return []
        }
        var out: [(Int, TOMLTable)] = []
        for (i, item) in array.enumerated() {
            guard let t = item.table else { problem(section.rawValue, i, nil, "each entry must be a table"); continue }
            for key in t.keys where !section.keys.contains(key) {
                problem(section.rawValue, i, key, "unknown key '\(key)'; known: \(section.keys.joined(separator: ", "))")
            }
            out.append((i, t))
        }
        return out
    }

    // MARK: Typed values

    private mutating func string(_ t: TOMLTable, _ s: String, _ i: Int, _ key: String, default value: String? = nil) -> String? {
        guard let v = t[key] else {
            if value == nil { problem(s, i, key, "missing (a string)") }
            return value
        }
        guard let text = v.string else { problem(s, i, key, "must be a string, not \(v.type)"); return nil }
        return text
    }

    private mutating func bool(_ t: TOMLTable, _ s: String, _ i: Int, _ key: String, default value: Bool) -> Bool? {
        guard let v = t[key] else { return value }
        guard let b = v.bool else { problem(s, i, key, "must be true or false, not \(v.type)"); return nil }
        return b
    }

    private mutating func strings(_ t: TOMLTable, _ s: String, _ i: Int, _ key: String, required: Bool) -> [String]? {
        guard let v = t[key] else {
            if required { problem(s, i, key, "missing (a list of strings)") }
            return required ? nil : []
        }
        guard let a = v.array else { problem(s, i, key, "must be a list of strings, e.g. [\"a\", \"b\"]"); return nil }
        var out: [String] = []
        for item in a {
            guard let text = item.string else { problem(s, i, key, "must hold only strings"); return nil }
            out.append(text)
        }
        return out
    }

    private mutating func name(_ t: TOMLTable, _ s: String, _ i: Int, _ key: String = "name") -> String? {
        guard let n = string(t, s, i, key) else { return nil }
        let ok = Self.isValidName(n)
        if !ok { problem(s, i, key, "'\(TerminalText.line(n))' is not a valid name: \(Names.problem(in: n)); a name is \(Names.rule)") }
        return ok ? n : nil
    }

    private mutating func enumValue<T>(_ t: TOMLTable, _ s: String, _ i: Int, _ key: String, _ parse: (String) throws -> T) -> T? {
        guard let text = string(t, s, i, key) else { return nil }
        do { return try parse(text) } catch let e as SluiceError {
            problem(s, i, key, e.message + (e.hint.map { ": \($0)" } ?? ""))
        } catch { problem(s, i, key, "\(error)") }
        return nil
    }

    // MARK: Sections

    private mutating func environment(_ t: TOMLTable, _ i: Int) -> WorkspaceSettings.EnvironmentEntry? {
        let s = "environment"
        let name = name(t, s, i)
        var order: Int?
        if let v = t["order"] { order = v.int; if order == nil { problem(s, i, "order", "must be a whole number") } } else { problem(s, i, "order", "missing (a whole number)") }
        let protected = bool(t, s, i, "protected", default: false)
        let rollout = string(t, s, i, "rollout", default: "manual")
        if let rollout, rollout != "automatic" && rollout != "manual" { problem(s, i, "rollout", "must be \"automatic\" or \"manual\", not \"\(rollout)\"") }
        let auto = rollout == "automatic"
        let roles = t["rollout_roles"] == nil ? (auto ? [] : Environment.defaultManualRolloutRoles) : strings(t, s, i, "rollout_roles", required: true)
        guard let name, let order, let protected, let roles, rollout == "automatic" || rollout == "manual" else { return nil }
        return .init(name: name, order: order, protected: protected, autoRollout: auto, rolloutRoles: roles)
    }

    private mutating func role(_ t: TOMLTable, _ i: Int) -> WorkspaceSettings.RoleEntry? {
        let name = name(t, "role", i)
        if let name, BuiltinRole.workspace[name] != nil || BuiltinRole.project[name] != nil {
            problem("role", i, "name", "\(name) is a built-in role; custom roles need another name")
        }
        let perms = strings(t, "role", i, "permissions", required: true)
        var valid: [String] = []
        for p in perms ?? [] {
            if Permission(rawValue: p) == nil {
                problem("role", i, "permissions", "unknown permission '\(p)'; known: \(Permission.allCases.map(\.rawValue).joined(separator: ", "))")
            } else { valid.append(p) }
        }
        if let perms, perms.isEmpty { problem("role", i, "permissions", "a role needs at least one permission") }
        guard let name, let perms, valid.count == perms.count, !perms.isEmpty else { return nil }
        return .init(name: name, permissions: Array(Set(perms)).sorted())
    }

    private mutating func riskRule(_ t: TOMLTable, _ i: Int) -> WorkspaceSettings.RiskRuleEntry? {
        let s = "risk_rule"
        let title = string(t, s, i, "title")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if title == "" { problem(s, i, "title", "cannot be empty") }
        let source = enumValue(t, s, i, "source", RiskSource.parse)
        let level = enumValue(t, s, i, "level", RiskLevel.parse)
        let active = bool(t, s, i, "active", default: true)
        let condition = string(t, s, i, "condition")
        var compiled = false
        if let condition {
            do {
                _ = try RiskCondition.compile(condition)
                compiled = true
            } catch {
                problem(s, i, "condition", "\(error.description)\n\(error.caretSnippet(indent: "    "))")
            }
        }
        guard let title, !title.isEmpty, let source, let level, let active, let condition, compiled else { return nil }
        return .init(title: title, source: source, level: level, active: active, condition: condition)
    }

    private mutating func flow(_ t: TOMLTable, _ i: Int) -> WorkspaceSettings.FlowEntry? {
        let name = name(t, "approval_flow", i)
        let roles = strings(t, "approval_flow", i, "roles", required: true)
        if let roles, roles.isEmpty { problem("approval_flow", i, "roles", "a flow needs at least one role") }
        guard let name, let roles, !roles.isEmpty else { return nil }
        return .init(name: name, roles: roles)
    }

    private mutating func approvalRule(_ t: TOMLTable, _ i: Int) -> WorkspaceSettings.ApprovalRuleEntry? {
        let s = "approval_rule"
        let source = enumValue(t, s, i, "source", RiskSource.parse)
        let level = enumValue(t, s, i, "level", RiskLevel.parse)
        let flow = string(t, s, i, "flow")
        guard let source, let level, let flow else { return nil }
        return .init(source: source, level: level, flow: flow)
    }
}
