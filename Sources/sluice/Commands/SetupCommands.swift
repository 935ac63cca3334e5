import ArgumentParser
import Foundation
import SluiceEngine

struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Environments and their rollout policy.",
                                                    subcommands: [List.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List environments in order.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let envs = try ctx.workspace.environments()
                try ctx.emit(envs) {
                    Output.table(["NAME", "ORDER", "TIER", "ROLLOUT", "ROLLOUT ROLES"], envs.map {
                        [$0.name, "\($0.order)", $0.protected ? "protected" : "-", $0.autoRollout ? "automatic" : "manual",
                         $0.rolloutRoles.isEmpty ? "anyone with rollouts.run" : $0.rolloutRoles.joined(separator: ",")]
                    })
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an environment.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option(parsing: .unconditional, help: "Place among the environments, lowest first (\(Limits.environmentOrder.range.lowerBound) to \(Limits.environmentOrder.range.upperBound)).")
        var order: Int
        @Flag(help: "Protected tier (production).") var protected = false
        @Flag(help: "Roll out automatically once approved and checks pass.") var autoRollout = false
        @Option(help: "Roles allowed to roll out, comma-separated (default for manual: admin,dba,owner,releaser).") var rolloutRoles: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let roles = rolloutRoles.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                let env = try ctx.workspace.addEnvironment(by: try ctx.principal(), name: name, order: order, protected: protected,
                                                           autoRollout: autoRollout, rolloutRoles: roles)
                try ctx.emit(env) { "Environment \(env.name) added (\(env.autoRollout ? "automatic" : "manual") rollout)." }
            }
        }
    }
}

struct InstanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "instance", abstract: "Database servers and SQLite locations.",
                                                    subcommands: [List.self, Add.self, Sync.self, InstanceSetCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List instances.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.instances()
                try ctx.emit(list) {
                    Output.table(["NAME", "ENGINE", "ENV", "MAX CONN", "LOCATION"],
                                 list.map { [$0.name, $0.engine.rawValue, $0.environment, "\($0.maxConnections)", $0.location] })
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an instance (then `instance sync` discovers its databases).")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option var engine: String
        @Option(help: "SQLite: a database file or a directory of tenant files.") var path: String?
        @Option(help: "PostgreSQL: a libpq conninfo string or URI, without a password.") var dsn: String?
        @Option var env: String
        @Option(parsing: .unconditional, help: "Connections open to the instance at once (\(Limits.maxConnections.range.lowerBound) to \(Limits.maxConnections.range.upperBound)).")
        var maxConnections: Int = 8
        @OptionGroup var postgres: PostgresInstanceOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                guard let kind = DatabaseEngine(rawValue: engine.lowercased()) else {
                    throw SluiceError.usage("unknown engine '\(engine)'", hint: "Use --engine sqlite or --engine postgres.")
                }
                let location: String
                switch kind {
                case .sqlite:
                    guard let path else { throw SluiceError.usage("a SQLite instance needs --path") }
                    location = path
                case .postgres:
                    guard let dsn else { throw SluiceError.usage("a PostgreSQL instance needs --dsn") }
                    location = dsn
                }
                let actor = try ctx.principal()
                let i = kind == .postgres
                    ? try ctx.workspace.addPostgresInstance(by: actor, name: name, conninfo: location, password: try postgres.password(),
                                                            environment: env, maxConnections: maxConnections,
                                                            lockTimeoutMs: try postgres.lockTimeoutMs(), statementTimeoutMs: try postgres.statementTimeoutMs())
                    : try ctx.workspace.addInstance(by: actor, name: name, engine: kind, location: location,
                                                    environment: env, maxConnections: maxConnections)
                try ctx.emit(i) { "Instance \(i.name) added. Next: sluice instance sync \(i.name)" }
            }
        }
    }

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Discover the databases of an instance.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let r = try ctx.workspace.syncInstance(by: try ctx.principal(), name: name)
                try ctx.emit(r) {
                    var s = "Instance \(r.instance): \(r.added.count) database(s) added, \(r.existing) already known."
                    if !r.missing.isEmpty { s += "\nMissing since the last sync: \(r.missing.joined(separator: ", "))" }
                    return s
                }
            }
        }
    }
}

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "member", abstract: "Workspace members.",
                                                    subcommands: [List.self, Add.self, Password.self, SignIns.self, Unlock.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List members.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.members()
                try ctx.emit(list) { Output.table(["EMAIL", "NAME", "ROLE"], list.map { [$0.email, $0.name, $0.role] }) }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member.",
            discussion: "With --password-stdin the NEW member's password is read from standard input (the acting member then signs in through the saved session or SLUICE_PASSWORD); otherwise it comes from SLUICE_NEW_PASSWORD or a prompt.")
        @OptionGroup var global: GlobalOptions
        @Argument var email: String
        @Option var role: String = "member"
        @Option var name: String?
        func run() throws {
            try runCommand {
                var options = global
                options.passwordStdin = false
                let ctx = try CommandContext(options)
                let actor = try ctx.principal()
                let password = try Terminal.password(for: email, fromStdin: global.passwordStdin, envVar: "SLUICE_NEW_PASSWORD")
                let m = try ctx.workspace.addMember(by: actor, email: email, name: name, role: role, password: password)
                try ctx.emit(m) { "Member \(m.email) added as \(m.role)." }
            }
        }
    }
}

struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "role", abstract: "Built-in and custom roles.", subcommands: [List.self, Add.self])

    struct RoleJSON: Encodable { var name: String; var kind: String; var permissions: [String] }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List roles and their permissions.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let roles = try ctx.workspace.roles().map { RoleJSON(name: $0.name, kind: $0.kind, permissions: $0.permissions) }
                try ctx.emit(roles) {
                    Output.table(["ROLE", "KIND", "PERMISSIONS"], roles.map { [$0.name, $0.kind, $0.permissions.joined(separator: ",")] })
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a custom role: a named permission set.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option(help: "Comma-separated permissions, e.g. issues.get,plans.update.") var permissions: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let r = try ctx.workspace.addCustomRole(by: try ctx.principal(), name: name,
                                                        permissions: permissions.split(separator: ",").map(String.init))
                try ctx.emit(r) { "Role \(r.name) added: \(r.permissions.joined(separator: ", "))." }
            }
        }
    }
}

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "project", abstract: "Projects and their members.",
                                                    subcommands: [List.self, Create.self, Member.self, ProjectSetCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.projects()
                try ctx.emit(list) { Output.table(["KEY", "TITLE"], list.map { [$0.key, $0.title] }) }
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project.")
        @OptionGroup var global: GlobalOptions
        @Argument var key: String
        @Option var title: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let p = try ctx.workspace.createProject(by: try ctx.principal(), key: key, title: title)
                try ctx.emit(p) { "Project \(p.key) created." }
            }
        }
    }

    struct Member: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Project membership.", subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Give a member a role in a project.")
            @OptionGroup var global: GlobalOptions
            @Argument var key: String
            @Argument var email: String
            @Option var role: String
            func run() throws {
                try runCommand {
                    let ctx = try CommandContext(global)
                    let m = try ctx.workspace.addProjectMember(by: try ctx.principal(), project: key, email: email, role: role)
                    try ctx.emit(m) { "\(m.email) is \(m.role) in \(m.project)." }
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a project's members.")
            @OptionGroup var global: GlobalOptions
            @Argument var key: String
            func run() throws {
                try runCommand {
                    let ctx = try CommandContext(global)
                    _ = try ctx.principal()
                    let list = try ctx.workspace.projectMembers(key)
                    try ctx.emit(list) { Output.table(["EMAIL", "ROLE"], list.map { [$0.email, $0.role] }) }
                }
            }
        }
    }
}

struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flow", abstract: "Approval flows: ordered roles.", subcommands: [List.self, Add.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List approval flows.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.flows()
                try ctx.emit(list) { Output.table(["FLOW", "ROLES"], list.map { [$0.name, $0.roles.joined(separator: " → ")] }) }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an approval flow.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option(help: "Ordered roles, comma-separated, e.g. owner,dba.") var roles: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let f = try ctx.workspace.addFlow(by: try ctx.principal(), name: name, roles: roles.split(separator: ",").map(String.init))
                try ctx.emit(f) { "Flow \(f.name): \(f.roles.joined(separator: " → "))." }
            }
        }
    }
}

struct ApprovalRuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approval-rule", abstract: "The approval flow of each source × level.",
                                                    subcommands: [List.self, Set.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List approval rules.")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.approvalRules()
                try ctx.emit(list) { Output.table(["SOURCE", "LEVEL", "FLOW"], list.map { [$0.source, $0.level, $0.flow] }) }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the flow for a source × level (or --none).")
        @OptionGroup var global: GlobalOptions
        @Option var source: String
        @Option var level: String
        @Option var flow: String?
        @Flag var none = false
        func run() throws {
            try runCommand {
                guard (flow != nil) != none else { throw SluiceError.usage("give either --flow NAME or --none") }
                let ctx = try CommandContext(global)
                let r = try ctx.workspace.setApprovalRule(by: try ctx.principal(), source: source, level: level, flow: none ? nil : flow)
                if global.json { try ctx.printJSON(r) } else {
                    print(r.map { "\($0.source) × \($0.level) → flow \($0.flow)." } ?? "\(source.uppercased()) × \(level.uppercased()) needs no approval.")
                }
            }
        }
    }
}
