import Foundation

/// A dotted permission name, Bytebase-style without its prefix (DESIGN §1).
public enum Permission: String, Sendable, Codable, CaseIterable, Comparable {
    case issuesGet = "issues.get"
    case issuesCreate = "issues.create"
    case issuesUpdate = "issues.update"
    case plansUpdate = "plans.update"
    case rolloutsRun = "rollouts.run"
    case tasksSkip = "tasks.skip"
    case tasksCancel = "tasks.cancel"
    case projectsManage = "projects.manage"
    case membersManage = "members.manage"
    case instancesManage = "instances.manage"
    case settingsManage = "settings.manage"

    public static func < (a: Permission, b: Permission) -> Bool { a.rawValue < b.rawValue }

    public static func parse(_ name: String) throws -> Permission {
        guard let p = Permission(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
            throw SluiceError.usage("unknown permission '\(name)'",
                                    hint: "Known permissions: \(Permission.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return p
    }
}

/// Built-in roles and the permissions they grant: the documented permission table.
public enum BuiltinRole {
    /// Workspace roles: every member has exactly one.
    public static let workspace: [String: Set<Permission>] = [
        "admin": Set(Permission.allCases),
        "dba": Set(Permission.allCases).subtracting([.membersManage]),
        "member": [],
    ]

    /// Project roles: granted per project through project membership.
    public static let project: [String: Set<Permission>] = [
        "owner": [.issuesGet, .issuesCreate, .issuesUpdate, .plansUpdate, .rolloutsRun, .tasksSkip, .tasksCancel, .projectsManage],
        "developer": [.issuesGet, .issuesCreate, .issuesUpdate, .plansUpdate],
        "releaser": [.issuesGet, .rolloutsRun, .tasksSkip, .tasksCancel],
        "viewer": [.issuesGet],
    ]

    public static let workspaceRoleNames = ["admin", "dba", "member"]
    public static let projectRoleNames = ["owner", "developer", "releaser", "viewer"]
}
