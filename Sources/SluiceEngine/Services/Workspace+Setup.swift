import Foundation
import GRDB

extension Workspace {
    /// Creates the first admin of an empty workspace. Refused when the workspace already has members.
    public func initialise(adminEmail: String, name: String? = nil, password: String) throws -> Principal {
        try validateEmail(adminEmail)
        try validatePassword(password)
        let hash = try PasswordHasher.hash(password)
        return try store.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member") ?? 0
            guard count == 0 else {
                throw SluiceError.precondition("the workspace at \(home) is already initialised",
                                               hint: "Sign in with an existing member, or use another --home.")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO workspace (key, value) VALUES ('createdAt', ?)", arguments: ["\(now)"])
            try db.execute(sql: "INSERT INTO member (email, name, passwordHash, role, createdAt) VALUES (?, ?, ?, 'admin', ?)",
                           arguments: [adminEmail, name ?? Workspace.displayName(adminEmail), hash, now])
            return Principal(email: adminEmail, name: name ?? Workspace.displayName(adminEmail), role: "admin")
        }
    }

    static func displayName(_ email: String) -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? email
        return local.prefix(1).uppercased() + local.dropFirst()
    }

    /// A member's email: plain ASCII (`Names.checkEmail`); members' emails are unique ignoring case.
    func validateEmail(_ email: String) throws {
        try Names.checkEmail(email)
    }

    func validatePassword(_ password: String) throws {
        let minimum = SignInPolicy.minimumPasswordLength, maximum = SignInPolicy.maximumPasswordLength
        let counting = "Characters are counted as they are seen: \"é\" or an emoji is one, however many bytes it takes."
        if let at = password.firstIndex(where: { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            throw SluiceError.usage("the password contains a control character (character \(password.distance(from: password.startIndex, to: at) + 1))",
                                    hint: "Use printable characters only: letters, digits, punctuation and spaces.")
        }
        let length = password.count
        guard length >= minimum else {
            throw SluiceError.usage("the password is too short: \(length) character\(length == 1 ? "" : "s"), at least \(minimum) are needed",
                                    hint: "Use \(minimum) or more characters; a few unrelated words make a good one. \(counting)")
        }
        guard length <= maximum else {
            throw SluiceError.usage("the password is too long: \(length) characters, at most \(maximum) are allowed", hint: counting)
        }
    }

    /// A name created in Sluice follows `Names.rule`, and may not differ only in case from an existing
    /// name of the same kind ('PROD' beside 'prod'). Called before the write that adds the name.
    func validateName(_ name: String, what: String) throws {
        try Names.check(name, what: what)
        let existing: [String: String] = ["environment": "SELECT name FROM environment", "instance": "SELECT name FROM instance",
                                          "role": "SELECT name FROM customRole", "project key": "SELECT key FROM project",
                                          "flow": "SELECT name FROM approvalFlow"]
        guard let sql = existing[what] else { return }
        var names = try store.read { db in try String.fetchAll(db, sql: sql) }
        if what == "role" { names += BuiltinRole.workspaceRoleNames + BuiltinRole.projectRoleNames }
        if let other = names.first(where: { $0 != name && $0.lowercased() == name.lowercased() }) {
            throw SluiceError.precondition("\(what) '\(name)' differs only in case from the existing \(what) '\(TerminalText.line(other))'",
                                           hint: "Use '\(TerminalText.line(other))', or a name that does not read as the same.")
        }
    }

    // MARK: Environments

    public func addEnvironment(by actor: Principal, name: String, order: Int, protected: Bool,
                               autoRollout: Bool, rolloutRoles: [String]?) throws -> Environment {
        try validateName(name, what: "environment")
        try Limits.environmentOrder.check(order)
        return try store.write { db in
            try require(.settingsManage, actor, to: "add an environment", db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM environment WHERE name = ?", arguments: [name]) != nil {
                throw SluiceError.precondition("environment \(name) already exists")
            }
            let roles = rolloutRoles ?? (autoRollout ? [] : Environment.defaultManualRolloutRoles)
            for role in roles { try requireKnownRole(role, db) }
            try db.execute(sql: "INSERT INTO environment (name, position, protected, autoRollout, rolloutRoles) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, order, protected, autoRollout, JSONColumn.encode(roles)])
            return Environment(name: name, order: order, protected: protected, autoRollout: autoRollout, rolloutRoles: roles)
        }
    }

    public func environments() throws -> [Environment] {
        try store.read { db in try Environment.fetchAll(db, sql: "SELECT * FROM environment ORDER BY position, name") }
    }

    func requireKnownRole(_ role: String, _ db: Database) throws {
        if BuiltinRole.workspace[role] != nil || BuiltinRole.project[role] != nil { return }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM customRole WHERE name = ?", arguments: [role]) != nil { return }
        throw SluiceError.notFound("unknown role '\(role)'",
                                   hint: "Built-in roles: \((BuiltinRole.workspaceRoleNames + BuiltinRole.projectRoleNames).joined(separator: ", ")); custom roles: `sluice role list`.")
    }

    // MARK: Members

    public func addMember(by actor: Principal, email: String, name: String? = nil, role: String, password: String) throws -> Member {
        try store.read { db in try require(.membersManage, actor, to: "add a member", db) }
        try validateEmail(email)
        try validatePassword(password)
        guard BuiltinRole.workspace[role] != nil else {
            throw SluiceError.usage("'\(role)' is not a workspace role", hint: "Use admin, dba or member.")
        }
        let hash = try PasswordHasher.hash(password)
        return try store.write { db in
            try require(.membersManage, actor, to: "add a member", db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE email = ?", arguments: [email]) != nil {
                throw SluiceError.precondition("member \(email) already exists")
            }
            let display = name ?? Workspace.displayName(email)
            try db.execute(sql: "INSERT INTO member (email, name, passwordHash, role, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [email, display, hash, role, now])
            return Member(email: email, name: display, role: role)
        }
    }

    public func members() throws -> [Member] {
        try store.read { db in try Member.fetchAll(db, sql: "SELECT email, name, role FROM member ORDER BY email") }
    }

    // MARK: Roles

    public func addCustomRole(by actor: Principal, name: String, permissions: [String]) throws -> CustomRole {
        try validateName(name, what: "role")
        let perms = try permissions.map(Permission.parse).map(\.rawValue)
        guard !perms.isEmpty else { throw SluiceError.usage("a role needs at least one permission") }
        return try store.write { db in
            try require(.settingsManage, actor, to: "add a role", db)
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM customRole WHERE name = ?", arguments: [name]) != nil
            if exists || BuiltinRole.workspace[name] != nil || BuiltinRole.project[name] != nil {
                throw SluiceError.precondition("role \(name) already exists")
            }
            let sorted = Array(Set(perms)).sorted()
            try db.execute(sql: "INSERT INTO customRole (name, permissions) VALUES (?, ?)", arguments: [name, JSONColumn.encode(sorted)])
            return CustomRole(name: name, permissions: sorted)
        }
    }

    /// Built-in and custom roles with their permissions.
    public func roles() throws -> [(name: String, kind: String, permissions: [String])] {
        var result: [(String, String, [String])] = []
        for name in BuiltinRole.workspaceRoleNames {
            result.append((name, "workspace", (BuiltinRole.workspace[name] ?? []).map(\.rawValue).sorted()))
        }
        for name in BuiltinRole.projectRoleNames {
            result.append((name, "project", (BuiltinRole.project[name] ?? []).map(\.rawValue).sorted()))
        }
        let custom = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, permissions FROM customRole ORDER BY name").map { row -> CustomRole in
                CustomRole(name: row["name"], permissions: JSONColumn.decodeStrings(row["permissions"]))
            }
        }
        for role in custom { result.append((role.name, "custom", role.permissions)) }
        return result
    }

    // MARK: Projects

    public func createProject(by actor: Principal, key: String, title: String) throws -> Project {
        try validateName(key, what: "project key")
        return try store.write { db in
            try require(.projectsManage, actor, to: "create a project", db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE key = ?", arguments: [key]) != nil {
                throw SluiceError.precondition("project \(key) already exists")
            }
            try db.execute(sql: "INSERT INTO project (key, title, createdAt) VALUES (?, ?, ?)", arguments: [key, title, now])
            return try fetchProject(key, db)
        }
    }

    public func projects() throws -> [Project] {
        try store.read { db in try Project.fetchAll(db, sql: "SELECT * FROM project ORDER BY key") }
    }

    func fetchProject(_ key: String, _ db: Database) throws -> Project {
        guard let p = try Project.fetchOne(db, sql: "SELECT * FROM project WHERE key = ?", arguments: [key]) else {
            throw SluiceError.notFound("no project \(key)", hint: "See `sluice project list`.")
        }
        return p
    }

    public func addProjectMember(by actor: Principal, project: String, email: String, role: String) throws -> ProjectMember {
        try store.write { db in
            _ = try fetchProject(project, db)
            try require(.projectsManage, actor, project: project, to: "manage project members", db)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE email = ?", arguments: [email]) != nil else {
                throw SluiceError.notFound("no member \(email)", hint: "Add them first with `sluice member add`.")
            }
            let isCustom = try Bool.fetchOne(db, sql: "SELECT 1 FROM customRole WHERE name = ?", arguments: [role]) != nil
            guard BuiltinRole.project[role] != nil || isCustom else {
                throw SluiceError.usage("'\(role)' is not a project role",
                                        hint: "Use owner, developer, releaser, viewer or a custom role (`sluice role list`).")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO projectMember (project, email, role) VALUES (?, ?, ?)",
                           arguments: [project, email, role])
            return ProjectMember(project: project, email: email, role: role)
        }
    }

    public func projectMembers(_ project: String) throws -> [ProjectMember] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM projectMember WHERE project = ? ORDER BY email", arguments: [project])
                .map { ProjectMember(project: $0["project"], email: $0["email"], role: $0["role"]) }
        }
    }
}
