import Foundation
import GRDB

/// A database server or SQLite location.
public struct Instance: Sendable, Codable, Equatable, FetchableRecord {
    public var name: String
    public var engine: DatabaseEngine
    /// SQLite: a file or a directory of tenant files. PostgreSQL: a conninfo string without secrets.
    public var location: String
    public var environment: String
    public var maxConnections: Int

    public init(row: Row) throws {
        name = row["name"]
        engine = DatabaseEngine(rawValue: row["engine"]) ?? .sqlite
        location = row["location"]
        environment = row["environment"]
        maxConnections = row["maxConnections"]
    }
}

/// A target database: `instance/name`, with its effective environment and labels.
public struct TargetDatabase: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var instance: String
    public var name: String
    public var environment: String
    public var engine: DatabaseEngine
    /// For SQLite: the file path.
    public var location: String
    public var labels: [String: String]
    /// PostgreSQL: how to connect (nil for SQLite).
    public var postgres: PostgresTarget?

    public var ref: DatabaseRef { DatabaseRef(instance: instance, name: name) }

    /// Expects the columns of `targetDatabase` plus `effectiveEnvironment` and `engine`.
    public init(row: Row) throws {
        id = row["id"]
        instance = row["instance"]
        name = row["name"]
        environment = row["effectiveEnvironment"]
        engine = DatabaseEngine(rawValue: row["engine"]) ?? .sqlite
        location = row["location"]
        labels = JSONColumn.decodeDict(row["labels"])
        postgres = engine == .postgres ? PostgresTarget(row: row, database: name) : nil
    }

    static let selectSQL = """
        SELECT d.*, COALESCE(d.environment, i.environment) AS effectiveEnvironment, i.engine AS engine, \(PostgresTarget.columns)
        FROM targetDatabase d JOIN instance i ON i.name = d.instance \(PostgresTarget.joins)
        """
}
