import Foundation
import GRDB

/// An approval flow: ordered roles, each step approved by one holder of its role.
public struct ApprovalFlow: Sendable, Codable, Equatable {
    public var name: String
    public var roles: [String]
}

/// The flow picked for one source × level cell.
public struct ApprovalRule: Sendable, Codable, Equatable {
    public var source: String
    public var level: String
    public var flow: String
}

extension Workspace {
    public static let riskSources = ["DDL", "DML", "CREATE_DATABASE"]

    public func addFlow(by actor: Principal, name: String, roles: [String]) throws -> ApprovalFlow {
        try validateName(name, what: "flow")
        let roles = roles.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !roles.isEmpty else { throw SluiceError.usage("a flow needs at least one role (--roles owner,dba)") }
        return try store.write { db in
            try require(.settingsManage, actor, to: "add approval flows", db)
            for role in roles { try requireKnownRole(role, db) }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM approvalFlow WHERE name = ?", arguments: [name]) != nil {
                throw SluiceError.precondition("flow \(name) already exists")
            }
            try db.execute(sql: "INSERT INTO approvalFlow (name, roles) VALUES (?, ?)", arguments: [name, JSONColumn.encode(roles)])
            return ApprovalFlow(name: name, roles: roles)
        }
    }

    public func flows() throws -> [ApprovalFlow] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM approvalFlow ORDER BY name").map {
                ApprovalFlow(name: $0["name"], roles: JSONColumn.decodeStrings($0["roles"]))
            }
        }
    }

    /// Sets (or with `flow == nil` clears) the flow of one source × level cell.
    public func setApprovalRule(by actor: Principal, source: String, level: String, flow: String?) throws -> ApprovalRule? {
        let source = source.uppercased(), level = level.uppercased()
        guard Workspace.riskSources.contains(source) else {
            throw SluiceError.usage("'\(source)' is not a risk source", hint: "Use DDL, DML or CREATE_DATABASE.")
        }
        guard RiskLevel(rawValue: level) != nil else { throw SluiceError.usage("'\(level)' is not a risk level", hint: "Use LOW, MODERATE or HIGH.") }
        return try store.write { db in
            try require(.settingsManage, actor, to: "set approval rules", db)
            guard let flow else {
                try db.execute(sql: "DELETE FROM approvalRule WHERE source = ? AND level = ?", arguments: [source, level])
                return nil
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM approvalFlow WHERE name = ?", arguments: [flow]) != nil else {
                throw SluiceError.notFound("no flow \(flow)", hint: "See `sluice flow list`.")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO approvalRule (source, level, flow) VALUES (?, ?, ?)", arguments: [source, level, flow])
            return ApprovalRule(source: source, level: level, flow: flow)
        }
    }

    public func approvalRules() throws -> [ApprovalRule] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM approvalRule ORDER BY source, level").map {
                ApprovalRule(source: $0["source"], level: $0["level"], flow: $0["flow"])
            }
        }
    }
}
