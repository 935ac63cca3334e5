import Foundation
import GRDB

/// One stage of a rollout: one environment.
public struct Stage: Sendable, Codable, Equatable {
    public var id: Int64
    public var position: Int
    public var title: String
    public var environment: String
}

/// One spec of the plan as stored.
public struct PlanSpec: Sendable, Codable, Equatable {
    public var id: String
    public var stageId: Int64
    public var target: String
    public var sheetId: Int64
    public var sheetSHA256: String
    public var type: SpecType
    public var schemaVersion: String?
    public var dependsOnSpecs: [String]
    public var earliestAllowedTime: Date?
}

/// One attempt at a task.
public struct TaskRun: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var taskId: Int64
    public var attempt: Int
    public var status: TaskRunStatus
    public var createdAt: Date
    public var createdBy: String
    public var startedAt: Date?
    public var finishedAt: Date?
    public var message: String?

    public init(row: Row) throws {
        id = row["id"]
        taskId = row["task"]
        attempt = row["attempt"]
        status = TaskRunStatus(rawValue: row["status"]) ?? .failed
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        createdBy = row["createdBy"]
        startedAt = (row["startedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        finishedAt = (row["finishedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        message = row["message"]
    }
}

/// One task: a spec applied to one database.
public struct RolloutTask: Sendable, Codable, Equatable {
    public var id: Int64
    public var issueId: Int64
    public var stageId: Int64
    public var environment: String
    public var position: Int
    public var specId: String
    public var databaseId: Int64
    public var database: String
    public var type: SpecType
    public var schemaVersion: String?
    public var status: TaskStatus
    public var skipReason: String?
    public var earliestAllowedTime: Date?
    public var dependsOnSpecs: [String]
    /// Why the task is not running, for every task that waits (DESIGN §3 rule 7).
    public var waitingCause: String?
    public var latestRun: TaskRun?
}

/// One line of a task run's live log.
public struct TaskRunLogLine: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var taskRunId: Int64
    public var at: Date
    public var kind: String
    public var statementIndex: Int?
    public var line: Int?
    public var column: Int?
    public var durationMs: Double?
    public var affectedRows: Int?
    public var sql: String?
    public var message: String?

    public init(row: Row) throws {
        id = row["id"]
        taskRunId = row["taskRun"]
        at = Date(timeIntervalSince1970: row["at"])
        kind = row["kind"]
        statementIndex = row["statementIndex"]
        line = row["line"]
        column = row["column"]
        durationMs = row["durationMs"]
        affectedRows = row["affectedRows"]
        sql = row["sql"]
        message = row["message"]
    }
}

/// A stage with its tasks, for display.
public struct StageDetail: Sendable, Codable, Equatable {
    public var stage: Stage
    public var tasks: [RolloutTask]
    public var finished: Bool
}

/// Everything `issue show` prints.
public struct IssueDetail: Sendable, Codable, Equatable {
    public var issue: Issue
    public var specs: [PlanSpec]
    public var stages: [StageDetail]
    public var approvals: [IssueApproval]
    public var timeline: [IssueEvent]
}
