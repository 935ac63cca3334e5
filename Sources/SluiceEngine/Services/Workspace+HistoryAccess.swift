import Foundation
import GRDB

/// Who may read a database's migration history and drift, which show the SQL of every change.
///
/// Databases belong to no project; a database is reached through the projects whose issues have a
/// task on it. Reading it needs `issues.get` in one of those projects, the same scoping as reading
/// the issues themselves. Holding `instances.manage` (workspace admins and DBAs) reads every database.
extension Workspace {
    /// Throws a `permissionDenied` error unless the member may read the database's history.
    func requireHistoryReadable(_ database: TargetDatabase, by actor: Principal) throws {
        try store.read { db in
            guard try !historyReadable(db, [database], by: actor).isEmpty else {
                let projects = try String.fetchAll(db, sql: """
                    SELECT DISTINCT i.project FROM task t JOIN issue i ON i.id = t.issue WHERE t.database = ? ORDER BY i.project
                    """, arguments: [database.id])
                let ref = database.ref.description
                let hint = projects.isEmpty
                    ? "No project has an issue on \(ref) yet, so only members with instances.manage (admins, DBAs) can read it; ask one of them."
                    : "Ask an owner of \(projects.joined(separator: " or ")) for a project role with issues.get "
                        + "(`sluice project member add PROJECT EMAIL --role viewer`), or an admin for instances.manage."
                let scope = projects.isEmpty ? "a project with an issue on it" : "a project with an issue on it (\(projects.joined(separator: ", ")))"
                throw SluiceError(.permissionDenied,
                                  "permission denied: \(actor.email) cannot read the history of \(ref): missing issues.get in \(scope)",
                                  hint: hint, permission: Permission.issuesGet.rawValue)
            }
        }
    }

    /// The databases among `databases` whose history the member may read, in the same order.
    func historyReadable(_ databases: [TargetDatabase], by actor: Principal) throws -> [TargetDatabase] {
        try store.read { db in try historyReadable(db, databases, by: actor) }
    }

    private func historyReadable(_ db: Database, _ databases: [TargetDatabase], by actor: Principal) throws -> [TargetDatabase] {
        if try actor == .system || permissions(of: actor, in: nil, db).contains(.instancesManage) { return databases }
        var readableProject: [String: Bool] = [:]
        var readable = Set<Int64>()
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT t.database, i.project FROM task t JOIN issue i ON i.id = t.issue") {
            let project: String = row["project"]
            let allowed = try readableProject[project] ?? permissions(of: actor, in: project, db).contains(.issuesGet)
            readableProject[project] = allowed
            if allowed { readable.insert(row["database"]) }
        }
        return databases.filter { readable.contains($0.id) }
    }
}
