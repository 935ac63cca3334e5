import SluiceEngine

/// The Approvals tab's data, mapped from the engine in one place so a richer approval API
/// (risk reasons, flow names, comments) can be wired in here alone.
struct ApprovalsViewModel {
    struct Step {
        var index: Int
        var role_: String
        var status: String
        var approver: String?
        var glyph: String
        var role: Role
    }
    var status: ApprovalStatus
    var risk: RiskLevel
    var steps: [Step]
    /// Timeline lines about approvals (approve, reject, re-request), newest last.
    var events: [IssueEvent]

    init(detail d: IssueDetail) {
        status = d.issue.approvalStatus
        risk = d.issue.riskLevel
        steps = d.approvals.enumerated().map { i, a in
            let (glyph, role): (String, Role) = switch a.status {
            case "APPROVED": ("✓", .approvalApproved)
            case "REJECTED": ("✗", .approvalRejected)
            default: ("○", .approvalPending)
            }
            return Step(index: i, role_: a.role, status: a.status, approver: a.approver, glyph: glyph, role: role)
        }
        events = d.timeline.filter { ["APPROVAL", "APPROVE", "REJECT", "REREQUEST"].contains($0.kind) }
    }
}
