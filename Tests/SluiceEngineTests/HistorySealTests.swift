import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// The history is Sluice's: every row is sealed with the workspace's key, a forged or altered row
/// is reported as tampering and never trusted to skip a change or hold a version, and each task
/// has at most one DONE row whatever writes the table.
@Suite struct HistorySealTests {
    /// A workspace whose test tenant already holds one honest change (so its history exists).
    func seeded() throws -> (TestWorkspace, String) {
        let t = try TestWorkspace()
        _ = try t.issue([("test", [(id: "a", tenant: 0, sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);", deps: [], at: nil)])], by: t.admin)
        try t.runUntilIdle()
        return (t, try t.ws.workspaceId())
    }

    func forge(_ t: TestWorkspace, _ sql: String, _ args: StatementArguments = []) throws {
        try DatabaseQueue(path: t.path("test", 0)).write { db in try db.execute(sql: sql, arguments: args) }
    }

    @Test func aForgedRowForTheNextTaskIsReportedAsTamperingAndTheChangeStillRuns() throws {
        let (t, workspace) = try seeded()
        let nextTask = (try t.ws.store.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM task") } ?? 0) + 1
        // Someone with write access to the target forges what the developer's sheet once could: a DONE
        // row for a task not created yet, one holding version 0009, and alters the honest row.
        for (task, version, mac) in [(nextTask, "0008", nil), (nextTask + 99, "0009", "00ff")] as [(Int64, String, String?)] {
            try forge(t, """
                INSERT INTO sluice_migration_history (version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                                                      issueId, taskId, taskRunId, workspace, appliedBy, appliedAt, mac)
                VALUES (?, 'MIGRATE', 'DONE', 'SELECT 1;', ?, '', '', 1, 99, ?, 999, ?, 'dev@example.com', '2026-01-01T00:00:00Z', ?)
                """, [version, PasswordHasher.sha256Hex("SELECT 1;"), task, workspace, mac])
        }
        try forge(t, "UPDATE sluice_migration_history SET appliedBy = 'someone@else' WHERE id = 1")

        let before = try t.ws.history(t.ref("test", 0), by: t.admin)
        #expect(before.map(\.integrity) == [.tampered, .tampered, .tampered], "\(before.map { ($0.id, $0.integrity) })")
        let drift = try #require(try t.ws.drift(t.ref("test", 0), by: t.admin).first)
        #expect(drift.tampered == [1, 2, 3] && drift.note?.contains("tampering") == true, "\(drift)")

        // The DBA's change claimed by the forged row runs anyway, and its version is free despite the forged 0009.
        let issue = try t.ws.createIssue(by: t.dba, project: "P", title: "dba change", plan: .targets(
            sql: "ALTER TABLE customers ADD COLUMN email TEXT;", databases: [t.ref("test", 0)], labels: [:], type: .migrate,
            schemaVersion: "0009", earliestAllowedTime: nil))
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.id == nextTask)
        #expect(task.status == .done, "\(task.latestRun?.message ?? "")")
        let log = try t.ws.taskLog(task: task.id, by: t.admin).lines.compactMap(\.message).joined(separator: "\n")
        #expect(log.contains("claims this task but its seal does not verify"), "\(log)")
        #expect(try DatabaseQueue(path: t.path("test", 0)).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM pragma_table_info('customers') WHERE name = 'email'")
        } == 1)
        let after = try t.ws.history(t.ref("test", 0), by: t.admin)
        #expect(after.last?.integrity == .verified && after.last?.taskId == nextTask && after.last?.version == "0009")
        #expect(after.first { $0.taskId == nextTask && $0.id != after.last?.id }?.status == "TAMPERED")
    }

    @Test func onlyOneDoneRowPerTaskWhateverWritesTheTable() throws {
        let (t, _) = try seeded()
        let row = try #require(try t.ws.history(t.ref("test", 0), by: t.admin).first)
        #expect(throws: (any Error).self) {
            try forge(t, """
                INSERT INTO sluice_migration_history (version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                                                      issueId, taskId, taskRunId, workspace, appliedBy, appliedAt)
                SELECT version, type, 'DONE', statement, checksum, schemaBefore, schemaAfter, durationMs, issueId, taskId, taskRunId + 1,
                       workspace, appliedBy, appliedAt FROM sluice_migration_history WHERE id = ?
                """, [row.id])
        }
    }

    @Test func aRowSealedBeforeSealsExistedIsSealedOnUpgradeAndVerifies() throws {
        let (t, _) = try seeded()
        // Back to a table from before seals: no mac column, no fence table, no unique key.
        try forge(t, "DROP TABLE sluice_run_fence")
        try forge(t, "DROP INDEX sluice_migration_history_task")
        try forge(t, "ALTER TABLE sluice_migration_history DROP COLUMN mac")
        _ = try t.issue([("test", [(id: "b", tenant: 0, sql: "CREATE TABLE orders (id INTEGER PRIMARY KEY);", deps: [], at: nil)])], by: t.admin)
        try t.runUntilIdle()
        let rows = try t.ws.history(t.ref("test", 0), by: t.admin)
        #expect(rows.count == 2 && rows.allSatisfy { $0.integrity == .verified }, "\(rows.map { ($0.id, $0.integrity) })")
    }
}
