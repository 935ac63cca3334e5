import Foundation
import GRDB

/// Finds runnable PENDING runs without reading the queues behind them, so a pass costs the same
/// with 100 or 30,000 runs queued. It walks the databases that have pending tasks (an index seek
/// each), skips a database that is busy, and on each stage queue of a database looks only at its
/// first pending task: every later task of that queue waits behind it (rule: one database, one
/// task at a time, in plan order), whatever made the first one wait.
struct ClaimWalk {
    let db: Database
    let ctx: SchedulingContext

    init(_ db: Database, _ ctx: SchedulingContext) {
        self.db = db
        self.ctx = ctx
    }

    func pick(max: Int) throws -> [(Row, SchedulableTask)] {
        let nextDatabase = try db.cachedStatement(sql: "SELECT MIN(database) FROM task WHERE status = 'PENDING' AND database > ?")
        let nextStage = try db.cachedStatement(sql: "SELECT MIN(stage) FROM task WHERE status = 'PENDING' AND database = ? AND stage > ?")
        let first = try db.cachedStatement(sql: SchedulableTask.select(
            extraColumns: "r.id AS runId, r.attempt, r.createdBy",
            extraJoins: "JOIN taskRun r ON r.task = t.id AND r.status = 'PENDING'")
            + " WHERE t.status = 'PENDING' AND t.database = ? AND t.stage = ? ORDER BY t.position, r.id LIMIT 1")
        var picked: [(Row, SchedulableTask)] = []
        var database = Int64.min
        databases: while picked.count < max, ctx.anyInstanceHasRoom,
                         let d = try Int64.fetchOne(nextDatabase, arguments: [database]) {
            database = d
            if ctx.busy[d] != nil { continue }
            var stage = Int64.min
            while let s = try Int64.fetchOne(nextStage, arguments: [d, stage]) {
                stage = s
                guard let row = try Row.fetchOne(first, arguments: [d, s]) else { continue }
                let task = SchedulableTask(row: row)
                switch try ctx.blocker(forPending: task) {
                case nil:
                    ctx.noteClaimed(task)
                    picked.append((row.copy(), task))
                    continue databases
                case .connectionLimit, .databaseBusy:
                    continue databases
                default:
                    continue
                }
            }
        }
        return picked
    }
}
