import Foundation
import GRDB

/// DESIGN §3 rule 6: automatic rollout waits while a task has a plan check at ERROR, or at
/// WARNING unless its project allows warnings.
enum PlanCheckGate {
    /// A condition over `t` (task) and `i` (issue) that holds when the task's checks have run
    /// (a task is never started between its creation and its checks) and none blocks it.
    static let passesSQL = """
        EXISTS (SELECT 1 FROM planCheck pc WHERE pc.task = t.id) AND NOT EXISTS (SELECT 1 FROM planCheck pc WHERE pc.task = t.id AND (pc.status = 'ERROR'
            OR (pc.status = 'WARNING' AND NOT (SELECT allowWarnings FROM project WHERE key = i.project))))
        """

    /// The first check blocking the task, in words for its waiting cause; nil when none blocks.
    static func blocker(_ db: Database, task: Int64) throws -> String? {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM planCheck WHERE task = ?", arguments: [task]) != nil else {
            return "plan checks have not run yet (run `sluice issue check`)"
        }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT pc.kind, pc.status, pc.results FROM planCheck pc
            JOIN task t ON t.id = pc.task JOIN issue i ON i.id = t.issue JOIN project p ON p.key = i.project
            WHERE pc.task = ? AND (pc.status = 'ERROR' OR (pc.status = 'WARNING' AND p.allowWarnings = 0))
            ORDER BY CASE pc.status WHEN 'ERROR' THEN 0 ELSE 1 END, pc.id LIMIT 1
            """, arguments: [task]) else { return nil }
        let status: String = row["status"]
        let kind = PlanCheckKind(rawValue: row["kind"]) ?? .review
        let results = (try? JSONDecoder().decode([PlanCheckResult].self, from: Data((row["results"] as String).utf8))) ?? []
        let worst = results.first { $0.status.rawValue == status }
        var position = ""
        if let line = worst?.line { position = " at line \(line)" + (worst?.column.map { ", column \($0)" } ?? "") }
        return "\(kind.title) \(status)\(position): \(worst?.title ?? "")"
    }
}
