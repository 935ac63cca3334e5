import Foundation

/// What one plan check looks at (DESIGN §1: connect, review, statement summary, dry run).
public enum PlanCheckKind: String, Sendable, Codable, CaseIterable {
    case connect = "CONNECT"
    case review = "REVIEW"
    case statementSummary = "STATEMENT_SUMMARY"
    case dryRun = "DRY_RUN"

    /// Words for people: "dry run".
    public var title: String {
        switch self {
        case .connect: "connect"
        case .review: "SQL review"
        case .statementSummary: "statement summary"
        case .dryRun: "dry run"
        }
    }
}

/// A plan check's verdict; ordered so the worst is the greatest.
public enum PlanCheckStatus: String, Sendable, Codable, Comparable {
    case success = "SUCCESS"
    case warning = "WARNING"
    case error = "ERROR"

    private var rank: Int { self == .error ? 2 : self == .warning ? 1 : 0 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One line of a plan check's result, with the position it concerns when it has one.
public struct PlanCheckResult: Sendable, Codable, Equatable {
    public var status: PlanCheckStatus
    public var title: String
    public var content: String
    /// The review rule, for review findings.
    public var rule: String?
    public var statementIndex: Int?
    public var line: Int?
    public var column: Int?

    public init(status: PlanCheckStatus, title: String, content: String, rule: String? = nil,
                statementIndex: Int? = nil, line: Int? = nil, column: Int? = nil) {
        self.status = status; self.title = title; self.content = content; self.rule = rule
        self.statementIndex = statementIndex; self.line = line; self.column = column
    }
}

/// One plan check of one task (spec × database).
public struct PlanCheck: Sendable, Codable, Equatable {
    public var taskId: Int64
    public var specId: String
    public var database: String
    public var environment: String
    public var kind: PlanCheckKind
    public var status: PlanCheckStatus
    public var results: [PlanCheckResult]
    public var sheetSHA256: String
    public var checkedAt: Date
}

/// The facts risk rules need about one task (DESIGN §5: `sql_type`, `table_name`,
/// `affected_rows`, `table_rows`), from its plan checks.
public struct TaskCheckFacts: Sendable, Codable, Equatable {
    public var taskId: Int64
    public var issueId: Int64
    public var specId: String
    public var database: String
    public var environment: String
    public var engine: String
    /// Statement types in sheet order, each once (`CREATE_TABLE`, `UPDATE`, …).
    public var sqlTypes: [String]
    /// `DDL`, `DML` or both.
    public var categories: [String]
    public var tables: [String]
    /// Rows the sheet changes: exact from the dry run, or the planner's estimate; nil when unknown.
    public var affectedRows: Int64?
    public var affectedRowsExact: Bool
    /// The same per statement index of the sheet (exact or estimated alike); nil when unknown.
    public var affectedRowsByStatement: [Int: Int64]?
    /// Rows in each table the sheet touches (tables that do not exist yet are left out).
    public var tableRows: [String: Int64]
    public var mixesDDLAndDML: Bool
    public var nonTransactional: Bool

    public init(taskId: Int64, issueId: Int64, specId: String, database: String, environment: String, engine: String,
                sqlTypes: [String], categories: [String], tables: [String], affectedRows: Int64?, affectedRowsExact: Bool,
                tableRows: [String: Int64], mixesDDLAndDML: Bool, nonTransactional: Bool) {
        self.taskId = taskId; self.issueId = issueId; self.specId = specId; self.database = database
        self.environment = environment; self.engine = engine; self.sqlTypes = sqlTypes; self.categories = categories
        self.tables = tables; self.affectedRows = affectedRows; self.affectedRowsExact = affectedRowsExact
        self.tableRows = tableRows; self.mixesDDLAndDML = mixesDDLAndDML; self.nonTransactional = nonTransactional
    }
}

/// How plan checks run.
public struct PlanCheckOptions: Sendable {
    /// Seconds a dry run may take before it is stopped and reported as a skipped WARNING.
    public var dryRunTimeLimit: Double
    /// Databases checked at the same time.
    public var concurrency: Int

    public init(dryRunTimeLimit: Double = 10, concurrency: Int = 4) {
        self.dryRunTimeLimit = dryRunTimeLimit
        self.concurrency = concurrency
    }

    /// Refuses values outside `Limits.dryRunSeconds` and `Limits.checkConcurrency` (an infinite time
    /// limit would overflow the dry run's deadline; 0 databases at a time would check nothing).
    public func validate() throws {
        try Limits.dryRunSeconds.check(dryRunTimeLimit)
        try Limits.checkConcurrency.check(concurrency)
    }
}
