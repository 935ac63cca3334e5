import Foundation
import GRDB

/// A person: email, display name and workspace role.
public struct Member: Sendable, Codable, Equatable, FetchableRecord {
    public var email: String
    public var name: String
    public var role: String

    public init(email: String, name: String, role: String) {
        self.email = email
        self.name = name
        self.role = role
    }

    public init(row: Row) throws {
        email = row["email"]
        name = row["name"]
        role = row["role"]
    }
}

/// A project: groups members (with project roles) and issues.
public struct Project: Sendable, Codable, Equatable, FetchableRecord {
    public var key: String
    public var title: String
    public var allowSelfApproval: Bool
    public var autoResolve: Bool
    public var allowWarnings: Bool

    public init(row: Row) throws {
        key = row["key"]
        title = row["title"]
        allowSelfApproval = row["allowSelfApproval"]
        autoResolve = row["autoResolve"]
        allowWarnings = row["allowWarnings"]
    }
}

/// A member's role in one project.
public struct ProjectMember: Sendable, Codable, Equatable {
    public var project: String
    public var email: String
    public var role: String
}

/// A named permission set, assignable in projects like a built-in project role.
public struct CustomRole: Sendable, Codable, Equatable {
    public var name: String
    public var permissions: [String]
}
