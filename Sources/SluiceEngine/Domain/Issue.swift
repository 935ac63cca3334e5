import Foundation
import GRDB

/// The unit of collaboration: one plan, one rollout, a timeline.
public struct Issue: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var project: String
    public var title: String
    public var description: String
    public var creator: String
    public var assignee: String?
    public var status: IssueStatus
    public var approvalStatus: ApprovalStatus
    public var riskLevel: RiskLevel
    /// The risk source (DDL, DML, CREATE_DATABASE) whose approval flow applies.
    public var riskSource: String
    /// Why the issue has its risk level: the rule and task that decided it.
    public var riskReason: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(row: Row) throws {
        id = row["id"]
        project = row["project"]
        title = row["title"]
        description = row["description"]
        creator = row["creator"]
        assignee = row["assignee"]
        status = IssueStatus(rawValue: row["status"]) ?? .open
        approvalStatus = ApprovalStatus(rawValue: row["approvalStatus"]) ?? .skipped
        riskLevel = RiskLevel(rawValue: row["riskLevel"]) ?? .low
        riskSource = row["riskSource"] ?? RiskSource.ddl.rawValue
        riskReason = row["riskReason"] ?? ""
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        updatedAt = Date(timeIntervalSince1970: row["updatedAt"])
    }
}

/// One line of an issue's timeline: a transition, a comment, an approval.
public struct IssueEvent: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var kind: String
    public var text: String

    public init(row: Row) throws {
        id = row["id"]
        at = Date(timeIntervalSince1970: row["at"])
        actor = row["actor"]
        kind = row["kind"]
        text = row["text"]
    }
}

/// One step of an approval flow on an issue.
public struct IssueApproval: Sendable, Codable, Equatable {
    public var role: String
    public var status: String
    public var approver: String?
}
