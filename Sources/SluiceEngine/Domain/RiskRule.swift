import Foundation
import GRDB

/// What kind of change a risk rule judges (DESIGN §5).
public enum RiskSource: String, Sendable, Codable, CaseIterable {
    case ddl = "DDL", dml = "DML", createDatabase = "CREATE_DATABASE"

    public static func parse(_ text: String) throws -> RiskSource {
        guard let s = RiskSource(rawValue: text.uppercased()) else {
            throw SluiceError.usage("'\(text)' is not a risk source", hint: "Use DDL, DML or CREATE_DATABASE.")
        }
        return s
    }
}

extension RiskLevel {
    public static func parse(_ text: String) throws -> RiskLevel {
        guard let l = RiskLevel(rawValue: text.uppercased()) else {
            throw SluiceError.usage("'\(text)' is not a risk level", hint: "Use LOW, MODERATE or HIGH.")
        }
        return l
    }
}

/// "Changes of this source whose condition holds are this risky."
public struct RiskRule: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var title: String
    public var source: RiskSource
    public var level: RiskLevel
    public var active: Bool
    public var condition: String

    public init(id: Int64, title: String, source: RiskSource, level: RiskLevel, active: Bool, condition: String) {
        self.id = id
        self.title = title
        self.source = source
        self.level = level
        self.active = active
        self.condition = condition
    }

    public init(row: Row) throws {
        id = row["id"]
        title = row["title"]
        source = RiskSource(rawValue: row["source"]) ?? .ddl
        level = RiskLevel(rawValue: row["level"]) ?? .low
        active = row["active"]
        condition = row["condition"]
    }
}

/// A ready-made risk rule; `{protected}` in its condition becomes the list of protected environments.
public struct RiskTemplate: Sendable, Codable, Equatable {
    public var name: String
    public var title: String
    public var source: RiskSource
    public var level: RiskLevel
    public var condition: String

    /// The templates shipped with Sluice.
    public static let all: [RiskTemplate] = [
        RiskTemplate(name: "ddl-protected-high", title: "DDL in a protected environment is HIGH",
                     source: .ddl, level: .high, condition: "environment_id in {protected}"),
        RiskTemplate(name: "ddl-other-moderate", title: "DDL outside protected environments is MODERATE",
                     source: .ddl, level: .moderate, condition: "!(environment_id in {protected})"),
        RiskTemplate(name: "drop-table-high", title: "DROP TABLE anywhere is HIGH",
                     source: .ddl, level: .high, condition: "sql_type == \"DROP_TABLE\""),
        RiskTemplate(name: "truncate-delete-protected-high", title: "TRUNCATE or DELETE in a protected environment is HIGH",
                     source: .dml, level: .high, condition: "environment_id in {protected} && sql_type in [\"TRUNCATE\", \"DELETE\"]"),
        RiskTemplate(name: "dml-protected-large-high", title: "DML over 1000 rows in a protected environment is HIGH",
                     source: .dml, level: .high, condition: "environment_id in {protected} && affected_rows > 1000"),
        RiskTemplate(name: "dml-protected-moderate", title: "DML in a protected environment is MODERATE",
                     source: .dml, level: .moderate, condition: "environment_id in {protected}"),
        RiskTemplate(name: "create-database-protected-moderate", title: "Creating a database in a protected environment is MODERATE",
                     source: .createDatabase, level: .moderate, condition: "environment_id in {protected}"),
    ]

    /// The condition with `{protected}` replaced by the given environments as a list literal.
    public func condition(protectedEnvironments: [String]) -> String {
        let list = "[" + protectedEnvironments.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return condition.replacingOccurrences(of: "{protected}", with: list)
    }
}
