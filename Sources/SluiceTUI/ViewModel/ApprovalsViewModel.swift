import Foundation
import SluiceEngine

/// The Approvals tab's data: the issue's risk and why, the flow's steps with who approved and
/// when, who is next, and whether the signed-in member can act (and why not). Mapped from the
/// engine's `ApprovalProgress`; until it has loaded, the steps come from the issue detail alone.
struct ApprovalsViewModel {
    struct Step: Equatable {
        var number: Int
        var role: String
        var status: String
        var approver: String?
        /// When the step was approved or rejected.
        var at: Date?
        /// The step whose approval is awaited now.
        var isNext: Bool
        var badge: StatusBadge
    }

    var status: ApprovalStatus
    var risk: RiskLevel
    var riskSource: String
    var riskReason: String
    var steps: [Step]
    var nextRole: String?
    /// Members who could approve the next step.
    var nextApprovers: [String]
    /// nil while the member's standing is not known yet.
    var canAct: Bool?
    /// What the member can do, or why not.
    var note: String
    /// Timeline lines about approvals (flow, approve, reject, re-request), oldest first.
    var events: [IssueEvent]

    static let eventKinds: Set<String> = ["RISK", "APPROVAL", "APPROVE", "APPROVED", "REJECT", "REREQUEST", "EDIT_SQL"]

    init(detail d: IssueDetail, progress: ApprovalProgress?) {
        let p = progress
        status = d.issue.approvalStatus
        risk = d.issue.riskLevel
        riskSource = d.issue.riskSource
        riskReason = d.issue.riskReason
        let raw: [(role: String, status: String, approver: String?, at: Date?)] = p.map { $0.steps.map { ($0.role, $0.status, $0.approver, $0.at) } }
            ?? d.approvals.map { ($0.role, $0.status, $0.approver, nil) }
        let awaited = d.issue.approvalStatus == .pending ? raw.firstIndex { $0.status == "PENDING" } : nil
        steps = raw.enumerated().map { i, a in
            Step(number: i + 1, role: a.role, status: a.status, approver: a.approver, at: a.at, isNext: i == awaited,
                 badge: ApprovalsViewModel.badge(a.status, next: i == awaited))
        }
        nextRole = p?.nextRole ?? awaited.map { raw[$0].role }
        nextApprovers = p?.nextApprovers ?? []
        canAct = p?.canAct
        note = p?.note ?? "loading…"
        events = d.timeline.filter { ApprovalsViewModel.eventKinds.contains($0.kind) }
    }

    /// A step's glyph, word and role; the awaited step reads "next", later ones "waiting".
    static func badge(_ status: String, next: Bool) -> StatusBadge {
        switch status {
        case "APPROVED": StatusBadge(glyph: "✓", ascii: "+", word: "approved", role: .approvalApproved)
        case "REJECTED": StatusBadge(glyph: "✗", ascii: "x", word: "rejected", role: .approvalRejected)
        default: next ? StatusBadge(glyph: "▶", ascii: ">", word: "next", role: .approvalPending)
                      : StatusBadge(glyph: "○", ascii: "o", word: "waiting", role: .dim)
        }
    }
}
