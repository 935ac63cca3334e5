import Foundation
import GRDB

/// Whether each issue action is open to a member right now, and if not, the engine's reason.
/// Front ends use it to keep refused actions listed with why; the engine still checks on every call.
public struct IssueActionAvailability: Sendable, Equatable {
    /// nil: allowed; otherwise why not.
    public var approve: String?
    public var reject: String?
    public var rerequest: String?
    public var runStage: String?
    /// The stage `runStage` would start, when there is one.
    public var nextStage: String?
    public var resolve: String?
    public var editSQL: String?
    public var comment: String?
    public var retry: String?
    public var skip: String?
    public var cancel: String?

    public init() {}
}

extension Workspace {
    /// Mirrors the engine's own checks (permissions, approval flow, rollout policy, stage order)
    /// without changing anything.
    public func availability(issue id: Int64, by actor: Principal) throws -> IssueActionAvailability {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            let perms = try permissions(of: actor, in: issue.project, db)
            let held = try roles(of: actor, in: issue.project, db)
            let project = try fetchProject(issue.project, db)
            func missing(_ p: Permission, _ what: String) -> String? {
                actor == .system || perms.contains(p) ? nil : "you cannot \(what): missing \(p.rawValue)"
            }
            var a = IssueActionAvailability()
            let closed: String? = issue.status == .open ? nil : "issue is \(issue.status.rawValue)"

            // Approve / reject: the current step of the flow, its role, self-approval.
            var approval: String? = closed
            if approval == nil {
                switch issue.approvalStatus {
                case .skipped: approval = "this issue needs no approval"
                case .approved: approval = "already approved"
                case .rejected: approval = "rejected: the creator re-requests review first"
                case .checking, .pending:
                    if let row = try Row.fetchOne(db, sql: "SELECT position, role FROM issueApproval WHERE issue = ? AND status = 'PENDING' ORDER BY position LIMIT 1",
                                                  arguments: [id]) {
                        let role: String = row["role"]
                        let step: Int = row["position"]
                        if actor.email.lowercased() == issue.creator.lowercased() && !project.allowSelfApproval {
                            approval = "you created this issue and project \(project.key) does not allow self-approval"
                        } else if !held.contains(role) {
                            approval = "you are not an approver of step \(step + 1) (needs role \(role))"
                        }
                    } else {
                        approval = "no pending approval step"
                    }
                }
            }
            a.approve = approval
            a.reject = approval
            a.rerequest = closed ?? missing(.issuesUpdate, "re-request review")
                ?? (issue.approvalStatus != .rejected ? "the issue is not rejected"
                    : actor.email.lowercased() != issue.creator.lowercased() ? "only the creator (\(issue.creator)) can re-request review" : nil)

            // Run the next stage.
            let stages = try Row.fetchAll(db, sql: """
                SELECT st.environment,
                       (SELECT COUNT(*) FROM task t WHERE t.stage = st.id AND t.status NOT IN ('DONE', 'SKIPPED')) AS open,
                       (SELECT COUNT(*) FROM task t WHERE t.stage = st.id AND t.status = 'NOT_STARTED') AS fresh
                FROM stage st WHERE st.issue = ? ORDER BY st.position
                """, arguments: [id])
            let next = stages.first { ($0["open"] as Int) > 0 }
            a.nextStage = next?["environment"]
            a.runStage = closed ?? missing(.rolloutsRun, "roll out")
                ?? (issue.approvalStatus.allowsRollout ? nil : "not approved yet (approval \(issue.approvalStatus.rawValue))")
            if a.runStage == nil {
                if let next {
                    let env: String = next["environment"]
                    if (next["fresh"] as Int) == 0 {
                        a.runStage = "stage \(env) has no task waiting to start (retry or skip failed ones)"
                    } else if actor != .system, let e = try Environment.fetchOne(db, sql: "SELECT * FROM environment WHERE name = ?", arguments: [env]),
                              !e.rolloutRoles.isEmpty, !held.contains(where: e.rolloutRoles.contains) {
                        a.runStage = "you cannot roll out to \(env): its policy allows \(e.rolloutRoles.joined(separator: ", "))"
                    }
                } else {
                    a.runStage = "every stage is finished"
                }
            }
            let active = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task WHERE issue = ? AND status IN ('PENDING', 'RUNNING')", arguments: [id]) ?? 0
            a.resolve = closed ?? missing(.issuesUpdate, "resolve issues") ?? (active > 0 ? "\(active) task(s) pending or running" : nil)
            a.editSQL = closed ?? missing(.plansUpdate, "edit the SQL of issues")
            a.comment = missing(.issuesGet, "comment on issues")
            a.retry = closed ?? missing(.rolloutsRun, "retry tasks")
            a.skip = closed ?? missing(.tasksSkip, "skip tasks")
            a.cancel = missing(.tasksCancel, "cancel tasks")
            return a
        }
    }

    /// The databases an issue could target, per environment in environment order (for pickers).
    public func databasesByEnvironment() throws -> [(environment: Environment, databases: [TargetDatabase])] {
        let envs = try environments()
        let dbs = try databases()
        return envs.map { env in (env, dbs.filter { $0.environment == env.name }) }
    }
}
