import Foundation
import GRDB

/// Checks a settings file against the workspace it is applied to: the state after applying must
/// be consistent (every role and flow named exists) and nothing still in use may be removed.
struct SettingsValidator {
    let db: Database
    let file: WorkspaceSettings
    let current: WorkspaceSettings
    let locator: TOMLLineLocator

    private func problem(_ section: String, _ index: Int?, _ key: String?, _ message: String) -> SettingsProblem {
        let path = index.map { "\(section)[\($0 + 1)]" + (key.map { ".\($0)" } ?? "") } ?? section
        let line = locator.line(section: section, index: index ?? 0, key: key) ?? locator.line(section: "", key: section)
        return SettingsProblem(line: line, path: path, message: message)
    }

    func problems() throws -> [SettingsProblem] {
        var out: [SettingsProblem] = []
        let customRoles = Set((file.roles ?? current.roles ?? []).map(\.name))
        func known(_ role: String) -> Bool {
            BuiltinRole.workspace[role] != nil || BuiltinRole.project[role] != nil || customRoles.contains(role)
        }
        let roleHint = "built-in: \((BuiltinRole.workspaceRoleNames + BuiltinRole.projectRoleNames).joined(separator: ", "))"
            + (customRoles.isEmpty ? "" : "; custom: \(customRoles.sorted().joined(separator: ", "))")

        // Roles named by environments and flows, as they will be after applying.
        for (i, e) in (file.environments ?? current.environments ?? []).enumerated() {
            for r in e.rolloutRoles where !known(r) {
                out.append(file.environments != nil
                           ? problem("environment", i, "rollout_roles", "unknown role '\(r)' (\(roleHint))")
                           : problem("role", nil, nil, "environment \(e.name) lets role \(r) roll out, and this file removes that role"))
            }
        }
        for (i, f) in (file.flows ?? current.flows ?? []).enumerated() {
            for r in f.roles where !known(r) {
                out.append(file.flows != nil
                           ? problem("approval_flow", i, "roles", "unknown role '\(r)' (\(roleHint))")
                           : problem("role", nil, nil, "approval flow \(f.name) needs role \(r), and this file removes that role"))
            }
        }
        let flows = Set((file.flows ?? current.flows ?? []).map(\.name))
        for (i, r) in (file.approvalRules ?? current.approvalRules ?? []).enumerated() where !flows.contains(r.flow) {
            out.append(file.approvalRules != nil
                       ? problem("approval_rule", i, "flow", "no approval flow named '\(r.flow)'"
                                 + (flows.isEmpty ? "" : " (flows: \(flows.sorted().joined(separator: ", ")))"))
                       : problem("approval_flow", nil, nil, "approval rule \(r.source.rawValue) × \(r.level.rawValue) uses flow \(r.flow), and this file removes it"))
        }

        // SQL review policies name environments as they will be after applying.
        if let review = file.sqlReview {
            let envs = (file.environments ?? current.environments ?? []).map(\.name)
            for env in review.keys.sorted() where !envs.contains(env) {
                let guess = ExpressionTypeChecker.closest(env, in: envs).map { "did you mean \($0)? " } ?? ""
                out.append(SettingsProblem(line: locator.reviewLine("sql_review.\(env)"), path: "sql_review.\(SettingsTOMLWriter.key(env))",
                                           message: "no environment '\(env)'\(file.environments != nil ? " in this file" : "") (\(guess)environments: \(envs.joined(separator: ", ")))"))
            }
        }

        // Nothing still in use may disappear.
        if let envs = file.environments {
            for old in current.environments ?? [] where !envs.contains(where: { $0.name == old.name }) {
                let users = try String.fetchAll(db, sql: """
                    SELECT 'instance ' || name FROM instance WHERE environment = ?
                    UNION ALL SELECT 'database ' || instance || '/' || name FROM targetDatabase WHERE environment = ?
                    UNION ALL SELECT DISTINCT 'issue #' || issue FROM stage WHERE environment = ?
                    LIMIT 3
                    """, arguments: [old.name, old.name, old.name])
                if !users.isEmpty {
                    out.append(problem("environment", nil, nil,
                                       "environment \(old.name) is left out, but \(users.joined(separator: ", ")) still use it; keep it in the file"))
                }
            }
        }
        if let roles = file.roles {
            for old in current.roles ?? [] where !roles.contains(where: { $0.name == old.name }) {
                let holders = try String.fetchAll(db, sql: "SELECT email || ' in ' || project FROM projectMember WHERE role = ? LIMIT 3",
                                                  arguments: [old.name])
                if !holders.isEmpty {
                    out.append(problem("role", nil, nil, "role \(old.name) is left out, but \(holders.joined(separator: ", ")) hold it; keep it in the file"))
                }
            }
        }
        return out
    }
}
