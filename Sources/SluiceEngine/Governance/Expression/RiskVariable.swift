import Foundation

/// The type of a value in a condition.
public indirect enum ExpressionType: Equatable, Sendable, CustomStringConvertible {
    case int, string, bool
    case list(ExpressionType?)   // nil: the empty list, which fits any element type

    public var description: String {
        switch self {
        case .int: "int"
        case .string: "string"
        case .bool: "bool"
        case .list(let e): e.map { "list of \($0)" } ?? "empty list"
        }
    }
}

/// A variable a risk condition can use (DESIGN §5), with its type.
public enum RiskVariable: String, CaseIterable, Sendable, Codable {
    case environmentId = "environment_id"
    case projectId = "project_id"
    case databaseName = "database_name"
    case dbEngine = "db_engine"
    case sqlType = "sql_type"
    case tableName = "table_name"
    case affectedRows = "affected_rows"
    case tableRows = "table_rows"

    public var type: ExpressionType {
        switch self {
        case .affectedRows, .tableRows: .int
        default: .string
        }
    }

    /// One line for the README and `sluice risk templates`.
    public var summary: String {
        switch self {
        case .environmentId: "the task's environment, e.g. \"prod\""
        case .projectId: "the issue's project key, e.g. \"DEMO\""
        case .databaseName: "the target database's name, e.g. \"app\" (without the instance)"
        case .dbEngine: "\"SQLITE\" or \"POSTGRES\""
        case .sqlType: "the statement's type, e.g. \"ALTER_TABLE\", \"CREATE_INDEX\", \"UPDATE\", \"DELETE\""
        case .tableName: "a table the statement touches (\"\" when it touches none); checked once per table"
        case .affectedRows: "rows the statement would change, from the plan checks' counts (unknown until they ran)"
        case .tableRows: "rows in the table, from the plan checks' counts (unknown until they ran)"
        }
    }
}

/// The facts a condition is evaluated against: one task × one statement × one table.
/// Row counts are optional: nil means "not measured", which conditions treat as unknown.
public struct RiskFacts: Sendable, Equatable {
    public var environmentId: String
    public var projectId: String
    public var databaseName: String
    public var dbEngine: String
    public var sqlType: String
    public var tableName: String
    public var affectedRows: Int64?
    public var tableRows: Int64?

    public init(environmentId: String, projectId: String, databaseName: String, dbEngine: String, sqlType: String,
                tableName: String, affectedRows: Int64? = nil, tableRows: Int64? = nil) {
        self.environmentId = environmentId
        self.projectId = projectId
        self.databaseName = databaseName
        self.dbEngine = dbEngine
        self.sqlType = sqlType
        self.tableName = tableName
        self.affectedRows = affectedRows
        self.tableRows = tableRows
    }

    func value(of variable: RiskVariable) -> ExpressionValue {
        switch variable {
        case .environmentId: .string(environmentId)
        case .projectId: .string(projectId)
        case .databaseName: .string(databaseName)
        case .dbEngine: .string(dbEngine)
        case .sqlType: .string(sqlType)
        case .tableName: .string(tableName)
        case .affectedRows: affectedRows.map(ExpressionValue.int) ?? .unknown
        case .tableRows: tableRows.map(ExpressionValue.int) ?? .unknown
        }
    }
}

/// A value during evaluation; `unknown` is a fact that was not measured.
enum ExpressionValue: Equatable, Sendable {
    case int(Int64)
    case string(String)
    case bool(Bool)
    case list([ExpressionValue])
    case unknown
}
