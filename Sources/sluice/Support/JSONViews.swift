import Foundation
import SluiceEngine

/// The task object of `issue show --json` and `task list --json` (CLI.md).
struct TaskJSON: Encodable {
    var id: Int64
    var issueId: Int64
    var environment: String
    var database: String
    var specId: String
    var type: String
    var schemaVersion: String?
    var status: String
    var waitingCause: String?
    var skipReason: String?
    var attempt: Int?
    var message: String?
    var startedAt: Date?
    var finishedAt: Date?

    init(_ t: RolloutTask) {
        id = t.id; issueId = t.issueId; environment = t.environment; database = t.database; specId = t.specId
        type = t.type.rawValue; schemaVersion = t.schemaVersion; status = t.status.rawValue; waitingCause = t.waitingCause
        skipReason = t.skipReason; attempt = t.latestRun?.attempt; message = t.latestRun?.message
        startedAt = t.latestRun?.startedAt; finishedAt = t.latestRun?.finishedAt
    }
}

/// `issue show --json`.
struct IssueShowJSON: Encodable {
    struct Approval: Encodable { var role: String; var status: String; var approver: String? }
    struct StageJSON: Encodable { var environment: String; var title: String; var finished: Bool; var tasks: [TaskJSON] }
    struct Rollout: Encodable { var stages: [StageJSON] }
    struct Spec: Encodable {
        var id: String; var target: String; var type: String; var schemaVersion: String?; var sheetSha256: String
        var dependsOnSpecs: [String]; var earliestAllowedTime: Date?
    }
    struct Event: Encodable { var at: Date; var actor: String; var kind: String; var text: String }

    var id: Int64
    var project: String
    var title: String
    var description: String
    var creator: String
    var assignee: String?
    var status: String
    var approvalStatus: String
    var riskLevel: String
    var riskSource: String
    var riskReason: String
    var approvals: [Approval]
    var plan: [Spec]
    var rollout: Rollout
    var checks: [PlanCheck]
    var timeline: [Event]
    var createdAt: Date
    var updatedAt: Date

    init(_ d: IssueDetail, checks: [PlanCheck] = []) {
        id = d.issue.id; project = d.issue.project; title = d.issue.title; description = d.issue.description
        creator = d.issue.creator; assignee = d.issue.assignee; status = d.issue.status.rawValue
        approvalStatus = d.issue.approvalStatus.rawValue; riskLevel = d.issue.riskLevel.rawValue
        riskSource = d.issue.riskSource; riskReason = d.issue.riskReason
        approvals = d.approvals.map { Approval(role: $0.role, status: $0.status, approver: $0.approver) }
        plan = d.specs.map { Spec(id: $0.id, target: $0.target, type: $0.type.rawValue, schemaVersion: $0.schemaVersion,
                                  sheetSha256: $0.sheetSHA256, dependsOnSpecs: $0.dependsOnSpecs, earliestAllowedTime: $0.earliestAllowedTime) }
        rollout = Rollout(stages: d.stages.map { StageJSON(environment: $0.stage.environment, title: $0.stage.title,
                                                           finished: $0.finished, tasks: $0.tasks.map(TaskJSON.init)) })
        self.checks = checks
        timeline = d.timeline.map { Event(at: $0.at, actor: $0.actor, kind: $0.kind, text: $0.text) }
        createdAt = d.issue.createdAt; updatedAt = d.issue.updatedAt
    }
}

/// `db history --json` rows (CLI.md), plus who applied it and the statement.
struct HistoryJSON: Encodable {
    var id: Int64
    var version: String?
    var type: String
    var status: String
    var issueId: Int64?
    var taskId: Int64?
    var taskRunId: Int64?
    var checksum: String
    var durationMs: Double
    var appliedAt: String
    var appliedBy: String
    var statement: String
    /// VERIFIED (sealed by this workspace), TAMPERED (forged or altered) or FOREIGN (another workspace's).
    var integrity: String

    init(_ r: MigrationRecord) {
        id = r.id; version = r.version; type = r.type; status = r.status; issueId = r.issueId; taskId = r.taskId
        taskRunId = r.taskRunId; checksum = r.checksum; durationMs = (r.durationMs * 1000).rounded() / 1000
        appliedAt = r.appliedAt; appliedBy = r.appliedBy; statement = r.statement
        integrity = r.integrity.rawValue
    }
}

/// Glyph plus word for a status, never colour alone (TUI.md).
enum StatusText {
    static func task(_ s: TaskStatus) -> String {
        switch s {
        case .done: "✓ DONE"
        case .failed: "✗ FAILED"
        case .pending: "○ PENDING"
        case .running: "▶ RUNNING"
        case .canceled: "⊘ CANCELED"
        case .skipped: "↷ SKIPPED"
        case .notStarted: "· NOT_STARTED"
        }
    }
}
