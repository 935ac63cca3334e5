import Foundation
import GRDB

/// A task as the scheduler sees it.
struct SchedulableTask: Sendable {
    var id: Int64
    var issue: Int64
    var stage: Int64
    var stagePosition: Int
    var environment: String
    var position: Int
    var specId: String
    var database: Int64
    var instance: String
    var status: TaskStatus
    var dependsOn: [String]
    var earliest: Double?
    var issueStatus: IssueStatus
    var approval: ApprovalStatus

    /// The columns `init(row:)` reads, plus `extraColumns`, over tasks joined with `extraJoins`.
    static func select(extraColumns: String = "", extraJoins: String = "") -> String {
        """
        SELECT t.id, t.issue, t.stage, st.position AS stagePosition, st.environment, t.position, t.specId, t.database,
               d.instance, t.status, t.dependsOn, t.earliestAllowedTime, i.status AS issueStatus, i.approvalStatus
               \(extraColumns.isEmpty ? "" : ", " + extraColumns)
        FROM task t
        \(extraJoins)
        JOIN stage st ON st.id = t.stage
        JOIN targetDatabase d ON d.id = t.database
        JOIN issue i ON i.id = t.issue
        """
    }

    init(row: Row) {
        id = row["id"]
        issue = row["issue"]
        stage = row["stage"]
        stagePosition = row["stagePosition"]
        environment = row["environment"]
        position = row["position"]
        specId = row["specId"]
        database = row["database"]
        instance = row["instance"]
        status = TaskStatus(rawValue: row["status"]) ?? .notStarted
        dependsOn = JSONColumn.decodeStrings(row["dependsOn"])
        earliest = row["earliestAllowedTime"]
        issueStatus = IssueStatus(rawValue: row["issueStatus"]) ?? .open
        approval = ApprovalStatus(rawValue: row["approvalStatus"]) ?? .skipped
    }
}

/// The rules of DESIGN §3 evaluated against the metastore inside one transaction.
/// Caches what one scheduling pass (or one display) needs; claims update it as they happen.
final class SchedulingContext {
    let db: Database
    let now: Double
    private var environments: [String: Environment] = [:]
    private var unfinishedStageCache: [String: String?] = [:]
    /// Running task per database.
    private(set) var busy: [Int64: Int64] = [:]
    /// Running tasks per instance.
    private(set) var instanceLoad: [String: Int] = [:]
    private var instanceCaps: [String: Int] = [:]

    init(_ db: Database, now: Double) throws {
        self.db = db
        self.now = now
        for env in try Environment.fetchAll(db, sql: "SELECT * FROM environment") { environments[env.name] = env }
        for row in try Row.fetchAll(db, sql: "SELECT name, maxConnections FROM instance") {
            instanceCaps[row["name"]] = (row["maxConnections"] as Int?) ?? 1
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT t.id, t.database, d.instance FROM task t JOIN targetDatabase d ON d.id = t.database WHERE t.status = 'RUNNING'
            """) {
            busy[row["database"]] = row["id"]
            instanceLoad[row["instance"] as String? ?? "", default: 0] += 1
        }
    }

    func environment(_ name: String) -> Environment? { environments[name] }

    /// Whether any instance can take one more task (when none can, a claim pass need not look further).
    var anyInstanceHasRoom: Bool {
        instanceCaps.contains { name, cap in instanceLoad[name, default: 0] < cap }
    }

    /// Records a claim made during this pass.
    func noteClaimed(_ task: SchedulableTask) {
        busy[task.database] = task.id
        instanceLoad[task.instance, default: 0] += 1
    }

    /// The first earlier stage of the issue that is not finished, if any.
    func unfinishedEarlierStage(issue: Int64, before position: Int) throws -> String? {
        let key = "\(issue)/\(position)"
        if let cached = unfinishedStageCache[key] { return cached }
        let env = try String.fetchOne(db, sql: """
            SELECT st.environment FROM stage st
            WHERE st.issue = ? AND st.position < ?
              AND EXISTS (SELECT 1 FROM task t WHERE t.stage = st.id AND t.status IN ('NOT_STARTED', 'PENDING', 'RUNNING', 'FAILED', 'CANCELED'))
            ORDER BY st.position LIMIT 1
            """, arguments: [issue, position])
        unfinishedStageCache[key] = env
        return env
    }

    /// Why a PENDING task cannot be claimed now, or nil when it can (rules 1–5 and the caps of rule 3).
    func blocker(forPending t: SchedulableTask) throws -> WaitingCause? {
        if t.issueStatus != .open { return .issueClosed(t.issueStatus) }
        if let env = try unfinishedEarlierStage(issue: t.issue, before: t.stagePosition) { return .previousStage(env) }
        if !t.dependsOn.isEmpty, let row = try dependencyBlocking(t) { return .dependency(spec: row.0, task: row.1) }
        if let e = t.earliest, e > now { return .scheduled(Date(timeIntervalSince1970: e)) }
        if let earlier = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM task WHERE stage = ? AND database = ? AND position < ? AND status IN ('NOT_STARTED', 'PENDING', 'RUNNING')
            ORDER BY position LIMIT 1
            """), arguments: [t.stage, t.database, t.position]) {
            return .earlierTaskOnDatabase(earlier)
        }
        if let running = busy[t.database], running != t.id { return .databaseBusy(task: running) }
        let cap = instanceCaps[t.instance] ?? 1
        if instanceLoad[t.instance, default: 0] >= cap { return .connectionLimit(instance: t.instance, limit: cap) }
        return nil
    }

    private func dependencyBlocking(_ t: SchedulableTask) throws -> (String, Int64)? {
        let placeholders = databaseQuestionMarks(count: t.dependsOn.count)
        var args: [any DatabaseValueConvertible] = [t.stage]
        args.append(contentsOf: t.dependsOn)
        guard let row = try Row.fetchOne(db, sql: """
            SELECT specId, id FROM task WHERE stage = ? AND specId IN (\(placeholders)) AND status NOT IN ('DONE', 'SKIPPED')
            ORDER BY position LIMIT 1
            """, arguments: StatementArguments(args)) else { return nil }
        return (row["specId"], row["id"])
    }

    /// Why a task waits, for display: covers NOT_STARTED tasks (approval, stage gating, manual rollout) too.
    func waitingCause(for t: SchedulableTask, runnerActive: Bool) throws -> WaitingCause? {
        switch t.status {
        case .done, .failed, .canceled, .skipped, .running:
            return nil
        case .pending:
            if let b = try blocker(forPending: t) { return b }
            return runnerActive ? .workerLimit : .noRunner
        case .notStarted:
            if t.issueStatus != .open { return .issueClosed(t.issueStatus) }
            if !t.approval.allowsRollout { return .approval(t.approval) }
            if let env = try unfinishedEarlierStage(issue: t.issue, before: t.stagePosition) { return .previousStage(env) }
            guard let env = environments[t.environment] else { return nil }
            if env.autoRollout, let check = try PlanCheckGate.blocker(db, task: t.id) { return .failedChecks(check) }
            if env.autoRollout { return runnerActive ? .automaticRollout : .noRunner }
            return .manualRollout(environment: env.name, roles: env.rolloutRoles)
        }
    }
}
