import Foundation
import GRDB
import SluiceSQL

/// What `settings apply` changed; empty when the workspace already matched the file.
public struct SettingsApplyReport: Sendable, Codable, Equatable {
    public var changes: [String]
}

extension Workspace {
    /// The workspace settings as a TOML document (deterministic: same settings, same bytes).
    public func exportSettings(by actor: Principal) throws -> String {
        // Any signed-in member may read the settings (`risk list`, `flow list` show the same).
        try store.read { db in SettingsTOMLWriter.write(try currentSettings(db)) }
    }

    func currentSettings(_ db: Database) throws -> WorkspaceSettings {
        let envs = try Environment.fetchAll(db, sql: "SELECT * FROM environment ORDER BY position, name").map {
            WorkspaceSettings.EnvironmentEntry(name: $0.name, order: $0.order, protected: $0.protected,
                                               autoRollout: $0.autoRollout, rolloutRoles: $0.rolloutRoles)
        }
        let roles = try Row.fetchAll(db, sql: "SELECT name, permissions FROM customRole ORDER BY name").map {
            WorkspaceSettings.RoleEntry(name: $0["name"], permissions: JSONColumn.decodeStrings($0["permissions"]))
        }
        let risks = try RiskRule.fetchAll(db, sql: "SELECT * FROM riskRule ORDER BY id").map {
            WorkspaceSettings.RiskRuleEntry(title: $0.title, source: $0.source, level: $0.level, active: $0.active, condition: $0.condition)
        }
        let flows = try Row.fetchAll(db, sql: "SELECT * FROM approvalFlow ORDER BY name").map {
            WorkspaceSettings.FlowEntry(name: $0["name"], roles: JSONColumn.decodeStrings($0["roles"]))
        }
        let rules = try Row.fetchAll(db, sql: "SELECT * FROM approvalRule").compactMap { row -> WorkspaceSettings.ApprovalRuleEntry? in
            guard let s = RiskSource(rawValue: row["source"]), let l = RiskLevel(rawValue: row["level"]) else { return nil }
            return .init(source: s, level: l, flow: row["flow"])
        }.sorted { a, b in
            let sa = RiskSource.allCases.firstIndex(of: a.source) ?? 0, sb = RiskSource.allCases.firstIndex(of: b.source) ?? 0
            return sa != sb ? sa < sb : a.level < b.level
        }
        return WorkspaceSettings(environments: envs, roles: roles, riskRules: risks, flows: flows, approvalRules: rules,
                                 sqlReview: try fetchAllReviewConfigs(db))
    }

    /// Validates the whole file, then applies it in one metastore transaction. Applying the same
    /// file twice changes nothing the second time.
    public func applySettings(by actor: Principal, toml text: String, file: String = "settings") throws -> SettingsApplyReport {
        // Permission first: a member who may not apply settings learns that, not the file's problems.
        try store.read { db in try require(.settingsManage, actor, to: "apply settings", db) }
        let (parsed, problems) = SettingsTOMLReader.read(text)
        guard let settings = parsed else { throw Workspace.invalidSettings(problems, file: file) }
        return try store.write { db in
            try require(.settingsManage, actor, to: "apply settings", db)
            let current = try currentSettings(db)
            let problems = try SettingsValidator(db: db, file: settings, current: current, locator: TOMLLineLocator(text)).problems()
            guard problems.isEmpty else { throw Workspace.invalidSettings(problems, file: file) }
            var changes: [String] = []
            if let envs = settings.environments { try applyEnvironments(db, envs, current: current.environments ?? [], &changes) }
            if let roles = settings.roles { try applyRoles(db, roles, current: current.roles ?? [], &changes) }
            if let risks = settings.riskRules { try applyRiskRules(db, risks, current: current.riskRules ?? [], &changes) }
            try applyFlowsAndRules(db, flows: settings.flows, rules: settings.approvalRules, current: current, &changes)
            try applySQLReview(db, settings, current: current, by: actor, &changes)
            return SettingsApplyReport(changes: changes)
        }
    }

    static func invalidSettings(_ problems: [SettingsProblem], file: String) -> SluiceError {
        let lines = problems.map { p in "\(file):\(p.line.map(String.init) ?? "?"): \(p.path.isEmpty ? "" : p.path + ": ")\(p.message)" }
        return .usage("\(file) is not valid (\(problems.count) problem\(problems.count == 1 ? "" : "s")); nothing was applied:\n"
                      + lines.joined(separator: "\n"),
                      hint: "Fix the file and apply it again; `sluice settings export` shows the expected shape.")
    }

    private func applyEnvironments(_ db: Database, _ envs: [WorkspaceSettings.EnvironmentEntry],
                                   current: [WorkspaceSettings.EnvironmentEntry], _ changes: inout [String]) throws {
        for e in envs where !current.contains(e) {
            let existed = current.contains { $0.name == e.name }
            try db.execute(sql: """
                INSERT INTO environment (name, position, protected, autoRollout, rolloutRoles) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET position = excluded.position, protected = excluded.protected,
                    autoRollout = excluded.autoRollout, rolloutRoles = excluded.rolloutRoles
                """, arguments: [e.name, e.order, e.protected, e.autoRollout, JSONColumn.encode(e.rolloutRoles)])
            changes.append("environment \(e.name) \(existed ? "changed" : "added")")
        }
        for old in current where !envs.contains(where: { $0.name == old.name }) {
            try db.execute(sql: "DELETE FROM environment WHERE name = ?", arguments: [old.name])
            changes.append("environment \(old.name) removed")
        }
    }

    private func applyRoles(_ db: Database, _ roles: [WorkspaceSettings.RoleEntry], current: [WorkspaceSettings.RoleEntry],
                            _ changes: inout [String]) throws {
        for r in roles where !current.contains(r) {
            let existed = current.contains { $0.name == r.name }
            try db.execute(sql: "INSERT INTO customRole (name, permissions) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET permissions = excluded.permissions",
                           arguments: [r.name, JSONColumn.encode(r.permissions)])
            changes.append("role \(r.name) \(existed ? "changed" : "added")")
        }
        for old in current where !roles.contains(where: { $0.name == old.name }) {
            try db.execute(sql: "DELETE FROM customRole WHERE name = ?", arguments: [old.name])
            changes.append("role \(old.name) removed")
        }
    }

    private func applyRiskRules(_ db: Database, _ rules: [WorkspaceSettings.RiskRuleEntry], current: [WorkspaceSettings.RiskRuleEntry],
                                _ changes: inout [String]) throws {
        for old in current where !rules.contains(where: { $0.title == old.title }) {
            try db.execute(sql: "DELETE FROM riskRule WHERE title = ?", arguments: [old.title])
            changes.append("risk rule \"\(old.title)\" removed")
        }
        for r in rules where !current.contains(r) {
            if current.contains(where: { $0.title == r.title }) {
                try db.execute(sql: "UPDATE riskRule SET source = ?, level = ?, active = ?, condition = ? WHERE title = ?",
                               arguments: [r.source.rawValue, r.level.rawValue, r.active, r.condition, r.title])
                changes.append("risk rule \"\(r.title)\" changed")
            } else {
                try db.execute(sql: "INSERT INTO riskRule (title, source, level, active, condition, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [r.title, r.source.rawValue, r.level.rawValue, r.active, r.condition, now])
                changes.append("risk rule \"\(r.title)\" added")
            }
        }
    }

    private func applyFlowsAndRules(_ db: Database, flows: [WorkspaceSettings.FlowEntry]?, rules: [WorkspaceSettings.ApprovalRuleEntry]?,
                                    current: WorkspaceSettings, _ changes: inout [String]) throws {
        let currentRules = current.approvalRules ?? [], currentFlows = current.flows ?? []
        func cell(_ r: WorkspaceSettings.ApprovalRuleEntry) -> String { "\(r.source.rawValue) × \(r.level.rawValue)" }
        if let rules {
            for old in currentRules where !rules.contains(where: { $0.source == old.source && $0.level == old.level }) {
                try db.execute(sql: "DELETE FROM approvalRule WHERE source = ? AND level = ?", arguments: [old.source.rawValue, old.level.rawValue])
                changes.append("approval rule \(cell(old)) removed")
            }
        }
        if let flows {
            for f in flows where !currentFlows.contains(f) {
                let existed = currentFlows.contains { $0.name == f.name }
                try db.execute(sql: "INSERT INTO approvalFlow (name, roles) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET roles = excluded.roles",
                               arguments: [f.name, JSONColumn.encode(f.roles)])
                changes.append("approval flow \(f.name) \(existed ? "changed" : "added")")
            }
        }
        if let rules {
            for r in rules where !currentRules.contains(r) {
                try db.execute(sql: "INSERT OR REPLACE INTO approvalRule (source, level, flow) VALUES (?, ?, ?)",
                               arguments: [r.source.rawValue, r.level.rawValue, r.flow])
                changes.append("approval rule \(cell(r)) → \(r.flow)")
            }
        }
        if let flows {
            for old in currentFlows where !flows.contains(where: { $0.name == old.name }) {
                try db.execute(sql: "DELETE FROM approvalFlow WHERE name = ?", arguments: [old.name])
                changes.append("approval flow \(old.name) removed")
            }
        }
    }

    /// A `[sql_review]` section replaces the set of policies: environments it does not list lose
    /// theirs (`sql_review = {}` clears them all). Without the section the policies stay, except
    /// those of environments this file removes (they go with their environment).
    private func applySQLReview(_ db: Database, _ settings: WorkspaceSettings, current: WorkspaceSettings, by actor: Principal,
                                _ changes: inout [String]) throws {
        let have = current.sqlReview ?? [:]
        let kept = Set((settings.environments ?? current.environments ?? []).map(\.name))
        let want = settings.sqlReview ?? have.filter { kept.contains($0.key) }
        for (env, config) in want.sorted(by: { $0.key < $1.key }) where have[env] != config {
            try storeReviewConfig(db, environment: env, config, by: actor)
            if let old = have[env] {
                let rules = Set(old.rules.keys).union(config.rules.keys).filter { old.rules[$0] != config.rules[$0] }.sorted()
                changes.append("SQL review policy of \(env) changed (\(rules.joined(separator: ", ")))")
            } else {
                changes.append("SQL review policy of \(env) added")
            }
        }
        for env in have.keys.sorted() where want[env] == nil {
            try db.execute(sql: "DELETE FROM reviewConfig WHERE environment = ?", arguments: [env])
            changes.append("SQL review policy of \(env) removed")
        }
    }
}
