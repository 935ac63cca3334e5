import Foundation
import GRDB

extension Workspace {
    /// Computes the issue's risk (highest over every task × statement) and records the steps of
    /// the approval flow its source × level cell names. Among sources tied at the highest level,
    /// the longest flow wins. No flow for the cell: no approval needed.
    /// Sets the issue's risk and approval flow; `assessed` spares a second assessment when the
    /// caller already has it.
    func computeApproval(_ db: Database, issueId: Int64, assessed: RiskAssessment? = nil) throws {
        let risk = try assessed ?? assessRisk(db, issueId: issueId)
        var source = risk.sources.first ?? .ddl
        var roles: [String] = []
        var flowName: String?
        for candidate in risk.sources {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT f.name, f.roles FROM approvalRule r JOIN approvalFlow f ON f.name = r.flow WHERE r.source = ? AND r.level = ?
                """, arguments: [candidate.rawValue, risk.level.rawValue]) else { continue }
            let flowRoles = JSONColumn.decodeStrings(row["roles"])
            if flowName == nil || flowRoles.count > roles.count {
                source = candidate
                roles = flowRoles
                flowName = row["name"]
            }
        }
        try db.execute(sql: "DELETE FROM issueApproval WHERE issue = ?", arguments: [issueId])
        for (i, role) in roles.enumerated() {
            try db.execute(sql: "INSERT INTO issueApproval (issue, position, role, status) VALUES (?, ?, ?, 'PENDING')",
                           arguments: [issueId, i, role])
        }
        let status: ApprovalStatus = roles.isEmpty ? .skipped : .pending
        try db.execute(sql: "UPDATE issue SET approvalStatus = ?, riskLevel = ?, riskSource = ?, riskReason = ? WHERE id = ?",
                       arguments: [status.rawValue, risk.level.rawValue, source.rawValue, risk.reason, issueId])
        try recordEvent(db, issue: issueId, actor: Principal.system.email, kind: "RISK",
                        text: "risk \(risk.level.rawValue) (\(source.rawValue)): \(risk.reason)")
        try recordEvent(db, issue: issueId, actor: Principal.system.email, kind: "APPROVAL",
                        text: flowName.map { "approval flow \($0): \(roles.joined(separator: " → "))" }
                            ?? "no approval flow for \(source.rawValue) × \(risk.level.rawValue): no approval needed")
    }

    func fetchApprovals(_ db: Database, issue: Int64) throws -> [IssueApproval] {
        try Row.fetchAll(db, sql: "SELECT * FROM issueApproval WHERE issue = ? ORDER BY position", arguments: [issue]).map {
            IssueApproval(role: $0["role"], status: $0["status"], approver: $0["approver"])
        }
    }

    /// Approves the current step of the issue's flow, as a holder of that step's role.
    public func approve(by actor: Principal, issue id: Int64, comment: String? = nil) throws -> Issue {
        try store.write { db in
            let issue = try fetchIssue(id, db)
            let (position, role) = try checkApproval(db, issue, actor, to: "approve issues")
            try db.execute(sql: "UPDATE issueApproval SET status = 'APPROVED', approver = ?, at = ? WHERE issue = ? AND position = ?",
                           arguments: [actor.email, now, id, position])
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM issueApproval WHERE issue = ? AND status = 'PENDING'", arguments: [id]) ?? 0
            let suffix = comment.map { ": \($0)" } ?? ""
            try recordEvent(db, issue: id, actor: actor.email, kind: "APPROVE", text: "approved as \(role)\(suffix)")
            if remaining == 0 {
                try db.execute(sql: "UPDATE issue SET approvalStatus = 'APPROVED' WHERE id = ?", arguments: [id])
                try recordEvent(db, issue: id, actor: Principal.system.email, kind: "APPROVED", text: "every approval step approved: the issue may roll out")
            }
            return try fetchIssue(id, db)
        }
    }

    /// Rejects the issue at the current step; the flow stops until the creator re-requests.
    public func reject(by actor: Principal, issue id: Int64, comment: String) throws -> Issue {
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty else { throw SluiceError.usage("a rejection needs a comment (--comment)") }
        return try store.write { db in
            let issue = try fetchIssue(id, db)
            let (position, role) = try checkApproval(db, issue, actor, to: "reject issues")
            try db.execute(sql: "UPDATE issueApproval SET status = 'REJECTED', approver = ?, at = ? WHERE issue = ? AND position = ?",
                           arguments: [actor.email, now, id, position])
            try db.execute(sql: "UPDATE issue SET approvalStatus = 'REJECTED' WHERE id = ?", arguments: [id])
            try recordEvent(db, issue: id, actor: actor.email, kind: "REJECT", text: "rejected as \(role): \(comment)")
            return try fetchIssue(id, db)
        }
    }

    /// After a rejection, the creator asks for review again: the flow restarts from its first step.
    public func rerequest(by actor: Principal, issue id: Int64) throws -> Issue {
        try store.write { db in
            let issue = try fetchIssue(id, db)
            try checkRerequest(db, issue, actor)
            try db.execute(sql: "UPDATE issueApproval SET status = 'PENDING', approver = NULL, at = NULL WHERE issue = ?", arguments: [id])
            try db.execute(sql: "UPDATE issue SET approvalStatus = 'PENDING' WHERE id = ?", arguments: [id])
            try recordEvent(db, issue: id, actor: actor.email, kind: "REREQUEST", text: "review re-requested")
            return try fetchIssue(id, db)
        }
    }

    func currentApprovalStep(_ db: Database, issue: Issue) throws -> (Int, String) {
        guard issue.status == .open else { throw SluiceError.precondition("issue #\(issue.id) is \(issue.status.rawValue)") }
        switch issue.approvalStatus {
        case .skipped: throw SluiceError.precondition("issue #\(issue.id) needs no approval")
        case .approved: throw SluiceError.precondition("issue #\(issue.id) is already approved")
        case .rejected: throw SluiceError.precondition("issue #\(issue.id) was rejected", hint: "The creator re-requests review with `sluice issue rerequest \(issue.id)`.")
        case .checking, .pending: break
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT position, role FROM issueApproval WHERE issue = ? AND status = 'PENDING' ORDER BY position LIMIT 1",
                                         arguments: [issue.id]) else {
            throw SluiceError.precondition("issue #\(issue.id) has no pending approval step")
        }
        return (row["position"], row["role"])
    }

    func requireApprover(_ db: Database, issue: Issue, actor: Principal, role: String) throws {
        guard try roles(of: actor, in: issue.project, db).contains(role) else {
            throw SluiceError(.permissionDenied, "permission denied: \(actor.email) is not an approver of this step (needs role \(role))",
                              hint: "Ask a holder of the \(role) role in project \(issue.project).")
        }
        let project = try fetchProject(issue.project, db)
        if actor.email.lowercased() == issue.creator.lowercased() && !project.allowSelfApproval {
            throw SluiceError(.permissionDenied, "permission denied: \(actor.email) created issue #\(issue.id) and cannot approve it: project \(project.key) does not allow self-approval",
                              hint: "Ask another holder of the \(role) role, or allow it with `sluice project set \(project.key) --allow-self-approval true`.")
        }
    }
}
