import Foundation
import GRDB

extension Workspace {
    /// Registers a PostgreSQL instance. The conninfo is stored without its password; a password
    /// (given here or found in the conninfo) is sealed with the workspace key (see
    /// `PostgresSecrets`). Without one, libpq's own sources apply: `PGPASSWORD`, `.pgpass`, `passfile=`.
    public func addPostgresInstance(by actor: Principal, name: String, conninfo: String, password: String? = nil,
                                    environment: String, maxConnections: Int = 8, lockTimeoutMs: Int? = nil,
                                    statementTimeoutMs: Int? = nil) throws -> Instance {
        try validateName(name, what: "instance")
        try Limits.maxConnections.check(maxConnections)
        try Self.validateTimeouts(lockTimeoutMs, statementTimeoutMs)
        let parsed = try PostgresConnInfo(conninfo)
        let secret = password ?? parsed.password
        let keyFile = PostgresSecrets.keyFile(besideMetastore: Workspace.metastorePath(home: home))
        let sealed = try secret.map { try PostgresSecrets.seal($0, keyFile: keyFile) }
        return try store.write { db in
            try require(.instancesManage, actor, to: "add an instance", db)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM environment WHERE name = ?", arguments: [environment]) != nil else {
                throw SluiceError.notFound("no environment \(environment)", hint: "See `sluice env list`.")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM instance WHERE name = ?", arguments: [name]) != nil {
                throw SluiceError.precondition("instance \(name) already exists")
            }
            try db.execute(sql: "INSERT INTO instance (name, engine, location, environment, maxConnections, createdAt) VALUES (?, 'postgres', ?, ?, ?, ?)",
                           arguments: [name, parsed.withoutPassword, environment, maxConnections, now])
            try db.execute(sql: "INSERT INTO postgresInstance (instance, lockTimeoutMs, statementTimeoutMs, sealedPassword) VALUES (?, ?, ?, ?)",
                           arguments: [name, lockTimeoutMs, statementTimeoutMs, sealed])
            return try fetchInstance(name, db)
        }
    }

    /// Changes a PostgreSQL instance's timeouts, stored password (`clearPassword` forgets it) or
    /// check role: the login role plan checks connect as (same server and password sources, its
    /// own privileges), so unapproved SQL never runs with the instance's own; `clearCheckRole`
    /// limits the dry run to what reads no data (EXPLAIN) again.
    public func updatePostgresInstance(by actor: Principal, name: String, password: String? = nil, clearPassword: Bool = false,
                                       lockTimeoutMs: Int? = nil, statementTimeoutMs: Int? = nil,
                                       checkRole: String? = nil, clearCheckRole: Bool = false) throws -> PostgresInstanceSettings {
        try Self.validateTimeouts(lockTimeoutMs, statementTimeoutMs)
        if let checkRole {
            guard !checkRole.isEmpty, checkRole.utf8.count <= 63, checkRole.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
                throw SluiceError.usage("--check-role must be a PostgreSQL role name (1 to 63 bytes, no control characters)")
            }
        }
        let keyFile = PostgresSecrets.keyFile(besideMetastore: Workspace.metastorePath(home: home))
        let sealed = try password.map { try PostgresSecrets.seal($0, keyFile: keyFile) }
        return try store.write { db in
            try require(.instancesManage, actor, to: "change an instance", db)
            let instance = try fetchInstance(name, db)
            guard instance.engine == .postgres else { throw SluiceError.usage("instance \(name) is not a PostgreSQL instance") }
            try db.execute(sql: "INSERT INTO postgresInstance (instance) VALUES (?) ON CONFLICT DO NOTHING", arguments: [name])
            if let lockTimeoutMs { try db.execute(sql: "UPDATE postgresInstance SET lockTimeoutMs = ? WHERE instance = ?", arguments: [lockTimeoutMs, name]) }
            if let statementTimeoutMs { try db.execute(sql: "UPDATE postgresInstance SET statementTimeoutMs = ? WHERE instance = ?", arguments: [statementTimeoutMs, name]) }
            if checkRole != nil || clearCheckRole {
                try db.execute(sql: "UPDATE postgresInstance SET checkRole = ? WHERE instance = ?", arguments: [checkRole, name])
            }
            if sealed != nil || clearPassword {
                try db.execute(sql: "UPDATE postgresInstance SET sealedPassword = ? WHERE instance = ?", arguments: [sealed, name])
            }
            return try postgresSettings(name, db)
        }
    }

    /// The timeouts a PostgreSQL instance's tasks run with, and whether a password is stored.
    public func postgresInstanceSettings(_ name: String) throws -> PostgresInstanceSettings {
        try store.read { db in _ = try fetchInstance(name, db); return try postgresSettings(name, db) }
    }

    private func postgresSettings(_ name: String, _ db: Database) throws -> PostgresInstanceSettings {
        let row = try Row.fetchOne(db, sql: "SELECT * FROM postgresInstance WHERE instance = ?", arguments: [name])
        return PostgresInstanceSettings(instance: name,
                                        lockTimeoutMs: row?["lockTimeoutMs"] ?? PostgresTarget.defaultLockTimeoutMs,
                                        statementTimeoutMs: row?["statementTimeoutMs"] ?? PostgresTarget.defaultStatementTimeoutMs,
                                        passwordStored: (row?["sealedPassword"] as String?) != nil,
                                        checkRole: row?["checkRole"])
    }

    private static func validateTimeouts(_ values: Int?...) throws {
        for case let ms? in values { try Limits.timeoutMilliseconds.check(ms) }
    }

    /// The databases of a PostgreSQL instance: every `pg_database` that accepts connections and
    /// is not a template, as (name, location shown, labels).
    func discoverPostgres(_ instance: Instance) throws -> [(String, String, [String: String])] {
        let sealed = try store.read { db in
            try String.fetchOne(db, sql: "SELECT sealedPassword FROM postgresInstance WHERE instance = ?", arguments: [instance.name])
        }
        let password = try sealed.map { try PostgresSecrets.open($0, keyFile: PostgresSecrets.keyFile(besideMetastore: Workspace.metastorePath(home: home))) }
        let info = try PostgresConnInfo(instance.location)
        let names: [String]
        do {
            let conn = try PostgresConnection(conninfo: instance.location, database: nil, password: password)
            names = try conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname").rows.compactMap { $0[0] }
        } catch let e as PostgresError {
            throw SluiceError.failure("cannot list the databases of \(instance.name): \(e)",
                                      hint: "Check the conninfo (sluice instance list), the server, and the password (.pgpass, PGPASSWORD or sluice instance set \(instance.name) --password-stdin).")
        }
        return names.map { ($0, info.location(database: $0), [:]) }
    }

    /// The server sessions on a database (PostgreSQL `pg_stat_activity`; SQLite has none).
    /// Server sessions show other clients' query text: a workspace-level view for those who
    /// manage instances (admin, dba). Project members see them through their tasks, below.
    public func sessions(_ ref: DatabaseRef, by actor: Principal) throws -> [DatabaseSession] {
        try store.read { db in try require(.instancesManage, actor, to: "see a database's sessions", db) }
        return try readSessions(ref)
    }

    private func readSessions(_ ref: DatabaseRef) throws -> [DatabaseSession] {
        let database = try self.database(ref)
        do {
            return try TargetDrivers.driver(for: database.engine).sessions(database)
        } catch let e as SluiceError {
            throw e
        } catch {
            throw SluiceError.failure("cannot read the sessions of \(ref): \(error)")
        }
    }

    /// The sessions on the database of a task (for a running task's detail view).
    public func sessions(task: Int64, by actor: Principal) throws -> [DatabaseSession] {
        let ref = try store.read { db -> DatabaseRef in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT d.instance, d.name, i.project FROM task t JOIN targetDatabase d ON d.id = t.database JOIN issue i ON i.id = t.issue
                WHERE t.id = ?
                """, arguments: [task]) else { throw SluiceError.notFound("no task \(task)") }
            try require(.issuesGet, actor, project: row["project"], to: "see the sessions of a task's database", db)
            return DatabaseRef(instance: row["instance"], name: row["name"])
        }
        return try readSessions(ref)
    }
}

/// How a PostgreSQL instance's tasks run (shown by `instance set`; the password itself never is).
public struct PostgresInstanceSettings: Sendable, Codable, Equatable {
    public var instance: String
    public var lockTimeoutMs: Int
    public var statementTimeoutMs: Int
    public var passwordStored: Bool
    /// The login role plan checks connect as; nil: the dry run is limited to EXPLAIN.
    public var checkRole: String?
}
