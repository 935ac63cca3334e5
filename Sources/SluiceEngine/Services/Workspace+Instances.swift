import Foundation
import GRDB

/// What `instance sync` found.
public struct SyncReport: Sendable, Codable, Equatable {
    public var instance: String
    public var added: [String]
    public var existing: Int
    public var missing: [String]
}

extension Workspace {
    /// File name suffixes that make a file in a SQLite directory instance a database.
    static let sqliteSuffixes = [".db", ".sqlite", ".sqlite3"]

    public func addInstance(by actor: Principal, name: String, engine: DatabaseEngine, location: String,
                            environment: String, maxConnections: Int = 8) throws -> Instance {
        try validateName(name, what: "instance")
        try Limits.maxConnections.check(maxConnections)
        var location = location
        switch engine {
        case .sqlite:
            location = (location as NSString).expandingTildeInPath
            if !location.hasPrefix("/") {
                location = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(location)
            }
            location = (location as NSString).standardizingPath
        case .postgres:
            return try addPostgresInstance(by: actor, name: name, conninfo: location, environment: environment, maxConnections: maxConnections)
        }
        let loc = location
        return try store.write { db in
            try require(.instancesManage, actor, to: "add an instance", db)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM environment WHERE name = ?", arguments: [environment]) != nil else {
                throw SluiceError.notFound("no environment \(environment)", hint: "See `sluice env list`.")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM instance WHERE name = ?", arguments: [name]) != nil {
                throw SluiceError.precondition("instance \(name) already exists")
            }
            try db.execute(sql: "INSERT INTO instance (name, engine, location, environment, maxConnections, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [name, engine.rawValue, loc, environment, maxConnections, now])
            return try fetchInstance(name, db)
        }
    }

    public func instances() throws -> [Instance] {
        try store.read { db in try Instance.fetchAll(db, sql: "SELECT * FROM instance ORDER BY name") }
    }

    func fetchInstance(_ name: String, _ db: Database) throws -> Instance {
        guard let i = try Instance.fetchOne(db, sql: "SELECT * FROM instance WHERE name = ?", arguments: [name]) else {
            throw SluiceError.notFound("no instance \(name)", hint: "See `sluice instance list`.")
        }
        return i
    }

    /// Discovers the databases of an instance: a SQLite file is one database named after the file;
    /// a directory holds one database per `*.db`, `*.sqlite` or `*.sqlite3` file (labelled `tenant=NAME`);
    /// a PostgreSQL server's are read from `pg_database` (templates left out).
    public func syncInstance(by actor: Principal, name: String) throws -> SyncReport {
        let instance = try store.read { db in
            try require(.instancesManage, actor, to: "sync an instance", db)
            return try fetchInstance(name, db)
        }
        let found = instance.engine == .postgres ? try discoverPostgres(instance) : try discoverSQLite(instance)
        return try store.write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT name FROM targetDatabase WHERE instance = ?", arguments: [name]))
            var added: [String] = []
            for (dbName, path, labels) in found where !known.contains(dbName) {
                try db.execute(sql: "INSERT INTO targetDatabase (instance, name, location, labels, syncedAt) VALUES (?, ?, ?, ?, ?)",
                               arguments: [name, dbName, path, JSONColumn.encode(labels), now])
                added.append(dbName)
            }
            let foundNames = Set(found.map(\.0))
            try db.execute(sql: "UPDATE targetDatabase SET syncedAt = ? WHERE instance = ?", arguments: [now, name])
            return SyncReport(instance: name, added: added, existing: known.intersection(foundNames).count,
                              missing: known.subtracting(foundNames).sorted())
        }
    }

    private func discoverSQLite(_ instance: Instance) throws -> [(String, String, [String: String])] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: instance.location, isDirectory: &isDir) else {
            throw SluiceError.notFound("instance \(instance.name): \(instance.location) does not exist",
                                       hint: "Create the file or directory, or add the instance again with the right --path.")
        }
        if !isDir.boolValue {
            let stem = ((instance.location as NSString).lastPathComponent as NSString).deletingPathExtension
            return [(stem, instance.location, [:])]
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: instance.location)
        return entries.sorted().compactMap { file in
            guard let suffix = Workspace.sqliteSuffixes.first(where: { file.hasSuffix($0) }) else { return nil }
            let stem = String(file.dropLast(suffix.count))
            guard !stem.isEmpty else { return nil }
            return (stem, (instance.location as NSString).appendingPathComponent(file), ["tenant": stem])
        }
    }

    /// Databases, optionally filtered by environment, instance and labels (`k=v`, all must match).
    public func databases(environment: String? = nil, instance: String? = nil, labels: [String: String] = [:]) throws -> [TargetDatabase] {
        try store.read { db in try fetchDatabases(db, environment: environment, instance: instance, labels: labels) }
    }

    func fetchDatabases(_ db: Database, environment: String? = nil, instance: String? = nil,
                        labels: [String: String] = [:]) throws -> [TargetDatabase] {
        var sql = TargetDatabase.selectSQL + " WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let environment { sql += " AND COALESCE(d.environment, i.environment) = ?"; args.append(environment) }
        if let instance { sql += " AND d.instance = ?"; args.append(instance) }
        sql += " ORDER BY d.instance, d.name"
        let all = try TargetDatabase.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        return labels.isEmpty ? all : all.filter { d in labels.allSatisfy { d.labels[$0.key] == $0.value } }
    }

    func fetchDatabase(_ ref: DatabaseRef, _ db: Database) throws -> TargetDatabase {
        guard let d = try TargetDatabase.fetchOne(db, sql: TargetDatabase.selectSQL + " WHERE d.instance = ? AND d.name = ?",
                                                  arguments: [ref.instance, ref.name]) else {
            throw SluiceError.notFound("unknown database \(ref)",
                                       hint: "See `sluice db list`; run `sluice instance sync \(ref.instance)` if the file is new.")
        }
        return d
    }

    public func database(_ ref: DatabaseRef) throws -> TargetDatabase {
        try store.read { db in try fetchDatabase(ref, db) }
    }

    /// Sets (or with an empty value removes) labels on a database.
    public func setLabels(by actor: Principal, _ ref: DatabaseRef, _ labels: [String: String]) throws -> TargetDatabase {
        for (k, v) in labels { try Names.check(k, what: "label key"); if !v.isEmpty { try Names.check(v, what: "label value") } }
        return try store.write { db in
            try require(.instancesManage, actor, to: "label databases", db)
            var d = try fetchDatabase(ref, db)
            for (k, v) in labels { d.labels[k] = v.isEmpty ? nil : v }
            try db.execute(sql: "UPDATE targetDatabase SET labels = ? WHERE id = ?", arguments: [JSONColumn.encode(d.labels), d.id])
            return d
        }
    }

    /// Parses `k=v` label selectors.
    public static func parseLabels(_ items: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SluiceError.usage("'\(item)' is not a label", hint: "Write labels as key=value, e.g. tenant=acme.")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }
}
