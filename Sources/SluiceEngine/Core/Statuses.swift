import Foundation

/// Status of one attempt at a task (DESIGN §2).
public enum TaskRunStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING", running = "RUNNING", done = "DONE", failed = "FAILED", canceled = "CANCELED"

    public var isTerminal: Bool { self == .done || self == .failed || self == .canceled }
}

/// Derived status of a task: SKIPPED, else the latest run's status, else NOT_STARTED.
public enum TaskStatus: String, Sendable, Codable, CaseIterable {
    case notStarted = "NOT_STARTED", pending = "PENDING", running = "RUNNING", done = "DONE"
    case failed = "FAILED", canceled = "CANCELED", skipped = "SKIPPED"

    /// DONE and SKIPPED finish a stage; nothing else does.
    public var finishesStage: Bool { self == .done || self == .skipped }
    /// A task in one of these states is still to run or running: later tasks on its database wait.
    public var isActive: Bool { self == .notStarted || self == .pending || self == .running }

    public init(run: TaskRunStatus) {
        switch run {
        case .pending: self = .pending
        case .running: self = .running
        case .done: self = .done
        case .failed: self = .failed
        case .canceled: self = .canceled
        }
    }
}

public enum IssueStatus: String, Sendable, Codable, CaseIterable {
    case open = "OPEN", done = "DONE", canceled = "CANCELED"
}

public enum ApprovalStatus: String, Sendable, Codable, CaseIterable {
    case checking = "CHECKING", pending = "PENDING", approved = "APPROVED", rejected = "REJECTED", skipped = "SKIPPED"

    /// The issue may roll out.
    public var allowsRollout: Bool { self == .approved || self == .skipped }
}

/// Kind of change a spec makes.
public enum SpecType: String, Sendable, Codable, CaseIterable {
    case migrate = "MIGRATE", data = "DATA", baseline = "BASELINE"
}

public enum RiskLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case low = "LOW", moderate = "MODERATE", high = "HIGH"

    var rank: Int { switch self { case .low: 0; case .moderate: 1; case .high: 2 } }
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }
}

public enum DatabaseEngine: String, Sendable, Codable, CaseIterable {
    case sqlite, postgres
}
