import Foundation

/// Why a task is not running (DESIGN §3 rule 7). Every waiting task has exactly one, the first that applies.
public enum WaitingCause: Sendable, Equatable, CustomStringConvertible {
    case issueClosed(IssueStatus)
    case approval(ApprovalStatus)
    case previousStage(String)
    case manualRollout(environment: String, roles: [String])
    case automaticRollout
    /// A plan check blocks automatic rollout (DESIGN §3 rule 6): which one and why.
    case failedChecks(String)
    case dependency(spec: String, task: Int64)
    case scheduled(Date)
    case earlierTaskOnDatabase(Int64)
    case databaseBusy(task: Int64)
    case connectionLimit(instance: String, limit: Int)
    case workerLimit
    case noRunner

    public var description: String {
        switch self {
        case .issueClosed(let s): return "issue is \(s.rawValue)"
        case .approval(.rejected): return "approval rejected: waiting for the creator to re-request review"
        case .approval: return "waiting for approval"
        case .previousStage(let env): return "waiting for stage \(env) to finish"
        case .manualRollout(let env, let roles):
            let who = roles.isEmpty ? "" : " (\(roles.joined(separator: ", ")))"
            return "waiting for a manual rollout of stage \(env)\(who)"
        case .automaticRollout: return "starting automatically"
        case .failedChecks(let check): return "failed checks: \(check) (see `sluice issue show`; fix the SQL, or start the stage by hand)"
        case .dependency(let spec, let task): return "waiting for spec \(spec) (task #\(task))"
        case .scheduled(let d): return "scheduled for \(ISO8601DateFormatter().string(from: d))"
        case .earlierTaskOnDatabase(let t): return "waiting for task #\(t) on the same database (plan order)"
        case .databaseBusy(let t): return "database busy: task #\(t) is running"
        case .connectionLimit(let i, let n): return "connection limit of instance \(i) reached (\(n))"
        case .workerLimit: return "waiting for a free worker"
        case .noRunner: return "queued: no runner is active (start `sluice run` or the TUI)"
        }
    }
}
