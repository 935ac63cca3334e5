import Foundation
import GRDB

/// The signed-in member on whose behalf an engine call is made.
public struct Principal: Sendable, Codable, Equatable {
    public var email: String
    public var name: String
    public var role: String

    /// The engine itself (automatic rollouts, reconciliation). Never available to front ends as a login.
    public static let system = Principal(email: "system", name: "Sluice", role: "admin")
}

extension Workspace {
    /// Checks an email and password (throttled, see `signIn`); returns the member or throws a
    /// permission error that never says which part was wrong.
    public func authenticate(email: String, password: String, source: String = SignInSource.localUser) throws -> Principal {
        try signIn(email: email, password: password, source: source).principal
    }

    /// Starts a login session; returns the token to keep (only its hash is stored).
    public func createSession(for principal: Principal, days: Double = 30) throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        let hash = PasswordHasher.sha256Hex(token)
        try store.write { db in
            try db.execute(sql: "DELETE FROM loginSession WHERE expiresAt < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO loginSession (tokenHash, email, createdAt, expiresAt) VALUES (?, ?, ?, ?)",
                           arguments: [hash, principal.email, now, now + days * 86400])
        }
        return token
    }

    /// Resolves a session token to its member, or nil when it is unknown or expired.
    public func principal(forSession token: String) throws -> Principal? {
        let hash = PasswordHasher.sha256Hex(token)
        return try store.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT m.email, m.name, m.role FROM loginSession s JOIN member m ON m.email = s.email
                WHERE s.tokenHash = ? AND s.expiresAt > ?
                """, arguments: [hash, now]) else { return nil }
            return Principal(email: row["email"], name: row["name"], role: row["role"])
        }
    }

    public func endSession(token: String) throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM loginSession WHERE tokenHash = ?", arguments: [PasswordHasher.sha256Hex(token)])
        }
    }

    /// Permissions of a role name: built-in workspace, built-in project, or custom.
    func permissions(ofRole role: String, _ db: Database) throws -> Set<Permission> {
        if let p = BuiltinRole.workspace[role] { return p }
        if let p = BuiltinRole.project[role] { return p }
        if let text = try String.fetchOne(db, sql: "SELECT permissions FROM customRole WHERE name = ?", arguments: [role]) {
            return Set(JSONColumn.decodeStrings(text).compactMap(Permission.init(rawValue:)))
        }
        return []
    }

    /// The member's project role there, if any.
    func projectRole(of principal: Principal, in project: String, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT role FROM projectMember WHERE project = ? AND email = ?",
                            arguments: [project, principal.email])
    }

    /// Every role the member holds, workspace-wide and in the project.
    func roles(of principal: Principal, in project: String?, _ db: Database) throws -> Set<String> {
        var roles: Set<String> = [principal.role]
        if let project, let r = try projectRole(of: principal, in: project, db) { roles.insert(r) }
        return roles
    }

    /// The union of the member's workspace-role and project-role permissions.
    func permissions(of principal: Principal, in project: String?, _ db: Database) throws -> Set<Permission> {
        var result = Set<Permission>()
        for role in try roles(of: principal, in: project, db) { result.formUnion(try permissions(ofRole: role, db)) }
        return result
    }

    /// Throws a `permissionDenied` error naming the missing permission.
    func require(_ permission: Permission, _ principal: Principal, project: String? = nil, to action: String, _ db: Database) throws {
        if principal == .system { return }
        guard try permissions(of: principal, in: project, db).contains(permission) else {
            let scope = project.map { " in project \($0)" } ?? ""
            throw SluiceError(.permissionDenied,
                              "permission denied: \(principal.email) cannot \(action)\(scope): missing \(permission.rawValue)",
                              hint: "Ask an admin for a role that grants \(permission.rawValue)\(scope).",
                              permission: permission.rawValue)
        }
    }

    /// Public permission check for front ends (e.g. to grey out actions); the engine checks again on every call.
    public func can(_ principal: Principal, _ permission: Permission, project: String?) throws -> Bool {
        try store.read { db in try permissions(of: principal, in: project, db).contains(permission) }
    }
}
