import Foundation
import GRDB

/// Where an issue's approval flow stands, from one member's point of view (for the TUI's Approvals tab and `issue show`).
public struct ApprovalProgress: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var role: String
        public var status: String
        public var approver: String?
        public var at: Date?
    }

    public var status: ApprovalStatus
    public var riskLevel: RiskLevel
    public var riskSource: String
    /// Which rule and task decided the risk level.
    public var riskReason: String
    public var steps: [Step]
    /// The role whose approval is awaited, if any.
    public var nextRole: String?
    /// Members who hold `nextRole` (workspace-wide or in the issue's project), the creator
    /// left out unless the project allows self-approval.
    public var nextApprovers: [String]
    /// Whether the viewing member may approve or reject now.
    public var canAct: Bool
    /// Why not, when they may not (or what they would do).
    public var note: String
}

extension Workspace {
    public func approvalProgress(issue id: Int64, for viewer: Principal) throws -> ApprovalProgress {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            try require(.issuesGet, viewer, project: issue.project, to: "read issues", db)
            let steps = try Row.fetchAll(db, sql: "SELECT * FROM issueApproval WHERE issue = ? ORDER BY position", arguments: [id]).map { row in
                ApprovalProgress.Step(role: row["role"], status: row["status"], approver: row["approver"],
                                      at: (row["at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
            let next = issue.approvalStatus == .pending ? steps.first(where: { $0.status == "PENDING" })?.role : nil
            var approvers: [String] = []
            if let next {
                let selfApproval = try fetchProject(issue.project, db).allowSelfApproval
                approvers = try String.fetchAll(db, sql: """
                    SELECT email FROM member WHERE role = ?
                    UNION SELECT email FROM projectMember WHERE project = ? AND role = ?
                    ORDER BY email
                    """, arguments: [next, issue.project, next])
                    .filter { selfApproval || $0.lowercased() != issue.creator.lowercased() }
            }
            var canAct = false
            let note: String
            switch issue.approvalStatus {
            case .skipped: note = "no approval needed"
            case .approved: note = "approved"
            case .rejected: note = "rejected: waiting for \(issue.creator) to re-request review"
            case .checking: note = "computing risk"
            case .pending:
                if let next, issue.status == .open {
                    do {
                        _ = try checkApproval(db, issue, viewer, to: "approve issues")
                        canAct = true
                        note = "you can approve or reject as \(next)"
                    } catch let e as SluiceError {
                        note = e.message.replacingOccurrences(of: "permission denied: ", with: "")
                    }
                } else {
                    note = "issue is \(issue.status.rawValue)"
                }
            }
            return ApprovalProgress(status: issue.approvalStatus, riskLevel: issue.riskLevel, riskSource: issue.riskSource,
                                    riskReason: issue.riskReason, steps: steps, nextRole: next, nextApprovers: approvers, canAct: canAct, note: note)
        }
    }
}
