import Foundation

/// The documented permission table: every mutating command, the permission the engine checks
/// for it, and where that permission may come from. The README's table is generated from this
/// (a test keeps them equal) and the permission matrix test checks the engine against it.
public enum PermissionTable {
    /// Where a command's permission may come from.
    public enum Scope: String, Sendable {
        /// The member's workspace role only (admin, dba, member).
        case workspace
        /// The workspace role or the member's role in the project concerned.
        case project
    }

    public struct Entry: Sendable, Equatable {
        public var command: String
        public var permission: Permission
        public var scope: Scope
    }

    public static let mutatingCommands: [Entry] = [
        Entry(command: "env add", permission: .settingsManage, scope: .workspace),
        Entry(command: "role add", permission: .settingsManage, scope: .workspace),
        Entry(command: "risk add", permission: .settingsManage, scope: .workspace),
        Entry(command: "risk set", permission: .settingsManage, scope: .workspace),
        Entry(command: "risk remove", permission: .settingsManage, scope: .workspace),
        Entry(command: "flow add", permission: .settingsManage, scope: .workspace),
        Entry(command: "approval-rule set", permission: .settingsManage, scope: .workspace),
        Entry(command: "settings apply", permission: .settingsManage, scope: .workspace),
        Entry(command: "member add", permission: .membersManage, scope: .workspace),
        Entry(command: "instance add", permission: .instancesManage, scope: .workspace),
        Entry(command: "instance sync", permission: .instancesManage, scope: .workspace),
        Entry(command: "db label", permission: .instancesManage, scope: .workspace),
        Entry(command: "db baseline", permission: .instancesManage, scope: .workspace),
        Entry(command: "project create", permission: .projectsManage, scope: .workspace),
        Entry(command: "project member add", permission: .projectsManage, scope: .project),
        Entry(command: "project set", permission: .projectsManage, scope: .project),
        Entry(command: "issue create", permission: .issuesCreate, scope: .project),
        Entry(command: "issue comment", permission: .issuesGet, scope: .project),
        Entry(command: "issue edit-sql", permission: .plansUpdate, scope: .project),
        Entry(command: "issue resolve", permission: .issuesUpdate, scope: .project),
        Entry(command: "issue cancel", permission: .issuesUpdate, scope: .project),
        Entry(command: "issue rerequest", permission: .issuesUpdate, scope: .project),
        Entry(command: "rollout run", permission: .rolloutsRun, scope: .project),
        Entry(command: "task retry", permission: .rolloutsRun, scope: .project),
        Entry(command: "task skip", permission: .tasksSkip, scope: .project),
        Entry(command: "task cancel", permission: .tasksCancel, scope: .project),
    ]

    /// The built-in roles a member can hold, as the table's columns: workspace roles, then
    /// project roles (held by a workspace `member`).
    public static let columns = BuiltinRole.workspaceRoleNames + BuiltinRole.projectRoleNames

    /// Whether a member whose only role is `role` (a project role comes with workspace role
    /// `member`) may run the command.
    public static func allows(_ role: String, _ entry: Entry) -> Bool {
        if let p = BuiltinRole.workspace[role] { return p.contains(entry.permission) }
        guard entry.scope == .project, let p = BuiltinRole.project[role] else { return false }
        return p.contains(entry.permission)
    }

    /// The README's permission section (between its generated-table markers).
    public static func markdown() -> String {
        var out = "| permission | " + columns.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---|", count: columns.count) + "\n"
        for p in Permission.allCases.sorted() {
            let cells = columns.map { role in
                (BuiltinRole.workspace[role] ?? BuiltinRole.project[role] ?? []).contains(p) ? "✓" : ""
            }
            out += "| \(p.rawValue) | " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\nMutating commands, the permission each checks, and who may run it (project roles are held by a\nworkspace `member`; `workspace` scope means only the workspace role counts):\n\n"
        out += "| command | permission | scope | " + columns.joined(separator: " | ") + " |\n"
        out += "|---|---|---|" + String(repeating: "---|", count: columns.count) + "\n"
        for e in mutatingCommands {
            let cells = columns.map { allows($0, e) ? "✓" : "" }
            out += "| `\(e.command)` | \(e.permission.rawValue) | \(e.scope.rawValue) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
