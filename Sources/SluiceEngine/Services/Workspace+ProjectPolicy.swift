import Foundation
import GRDB

extension Workspace {
    /// Changes a project's approval and rollout options; nil leaves an option as it is.
    public func setProjectPolicy(by actor: Principal, project key: String, allowSelfApproval: Bool? = nil,
                                 autoResolve: Bool? = nil, allowWarnings: Bool? = nil) throws -> Project {
        try store.write { db in
            _ = try fetchProject(key, db)
            try require(.projectsManage, actor, project: key, to: "change project settings", db)
            if let allowSelfApproval {
                try db.execute(sql: "UPDATE project SET allowSelfApproval = ? WHERE key = ?", arguments: [allowSelfApproval, key])
            }
            if let autoResolve { try db.execute(sql: "UPDATE project SET autoResolve = ? WHERE key = ?", arguments: [autoResolve, key]) }
            if let allowWarnings { try db.execute(sql: "UPDATE project SET allowWarnings = ? WHERE key = ?", arguments: [allowWarnings, key]) }
            return try fetchProject(key, db)
        }
    }
}
