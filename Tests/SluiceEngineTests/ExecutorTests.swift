import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// The SQLite executor: cancel, retry, baseline, statements outside a transaction, version refusal.
@Suite struct ExecutorTests {
    @Test func cancellingARunningTaskInterruptsAndRollsBack() throws {
        let t = try TestWorkspace(testAutomatic: false)
        let issue = try t.issue([("test", [("slow", 0, "CREATE TABLE marker(a);\n" + slowSQL("huge", rows: 50_000_000), [], nil)])])
        _ = try t.ws.runStage(by: t.dba, issue: issue.id)
        let scheduler = try RolloutScheduler(workspace: t.ws)
        scheduler.start()
        defer { scheduler.stop(cancelRunning: true) }
        let task = try #require(try t.tasks(issue.id).first)
        let deadline = Date().addingTimeInterval(20)
        while try t.tasks(issue.id).first?.status != .running, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.2)
        _ = try t.ws.cancelTask(by: t.dba, task: task.id)
        while try t.tasks(issue.id).first?.status == .running, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let after = try #require(try t.tasks(issue.id).first)
        #expect(after.status == .canceled)
        #expect(Date() < deadline, "cancel did not interrupt the statement")
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('marker', 'huge')") == 0)
        // A canceled task can be retried; a DONE one cannot.
        let retried = try t.ws.retryTask(by: t.dba, task: task.id)
        #expect(retried.status == .pending)
        #expect(retried.latestRun?.attempt == 2)
        // SQL of a spec whose tasks already ran cannot change.
        #expect(performing: { try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "slow", sql: "SELECT 1;") },
                throws: { ($0 as? SluiceError)?.kind == .precondition })
    }

    @Test func aFailedTaskIsRetriedAsANewAttempt() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("a", 0, "INSERT INTO later VALUES (1);", [], nil)])])
        _ = try t.ws.runStage(by: t.dba, issue: issue.id)  // its dry run fails: no automatic start
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .failed)
        try GRDB.DatabaseQueue(path: t.path("test", 0)).write { try $0.execute(sql: "CREATE TABLE later(a)") }
        _ = try t.ws.retryTask(by: t.releaserInProject, task: task.id)
        // An issue cannot change while one of its runs is pending.
        #expect(performing: { try t.ws.setIssueStatus(by: t.dev, issue: issue.id, to: .canceled) },
                throws: { ($0 as? SluiceError)?.message.contains("pending or running") == true })
        try t.runUntilIdle()
        let done = try #require(try t.tasks(issue.id).first)
        #expect(done.status == .done)
        #expect(done.latestRun?.attempt == 2)
        #expect(performing: { try t.ws.retryTask(by: t.dba, task: task.id) }, throws: { ($0 as? SluiceError)?.kind == .precondition })
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM later") == 1)
    }

    @Test func vacuumRunsOutsideATransaction() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("v", 0, "CREATE TABLE big(a);\nINSERT INTO big VALUES (1);\nVACUUM;", [], nil)])])
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .done, "\(task.latestRun?.message ?? "")")
        let flagged = try t.ws.store.read { db in try Bool.fetchOne(db, sql: "SELECT nonTransactional FROM taskRun WHERE task = ?", arguments: [task.id]) }
        #expect(flagged == true)
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sluice_migration_history") == 1)
    }

    @Test func baselineRecordsWithoutRunningAndVersionsAreNotReapplied() throws {
        let t = try TestWorkspace()
        try GRDB.DatabaseQueue(path: t.path("test", 0)).write { try $0.execute(sql: "CREATE TABLE legacy(a)") }
        let doc = PlanDocument(steps: [.init(title: "test", specs: [
            .init(id: "b", changeDatabaseConfig: .init(target: "test/t0", sheet: "", type: "BASELINE", schemaVersion: "0001")),
            .init(id: "m", changeDatabaseConfig: .init(target: "test/t0", sheet: "CREATE TABLE again(a);", type: "MIGRATE", schemaVersion: "0001")),
        ])])
        let issue = try t.ws.createIssue(by: t.dev, project: "P", title: "baseline", plan: .document(doc))
        try t.runUntilIdle()
        let tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .done)
        #expect(tasks[1].status == .failed)
        #expect(tasks[1].latestRun?.message?.contains("version 0001 is already applied") == true)
        let history = try t.ws.history(t.ref("test", 0), by: t.admin)
        #expect(history.count == 1)
        #expect(history[0].type == "BASELINE")
        #expect(history[0].schemaAfter.contains("CREATE TABLE legacy(a);"))
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'again'") == 0)
    }

    @Test func logsCarryPositionsDurationsAndAffectedRows() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("a", 0, "CREATE TABLE n(a);\n  INSERT INTO n VALUES (1), (2), (3);\nUPDATE n SET a = a + 1 WHERE a > 1;", [], nil)])])
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        let log = try t.ws.taskLog(task: task.id, by: t.viewer)
        let statements = log.lines.filter { $0.kind == "STATEMENT" }
        #expect(statements.map(\.line) == [1, 2, 3])
        #expect(statements.map(\.column) == [1, 3, 1])
        #expect(statements.map(\.affectedRows) == [0, 3, 2])
        #expect(statements.allSatisfy { ($0.durationMs ?? -1) >= 0 })
    }

    @Test func schemaSnapshotsAreNormalised() {
        #expect(SchemaSnapshot.normalise("CREATE  TABLE\n  t ( a  TEXT DEFAULT 'x  y' )") == "CREATE TABLE t ( a TEXT DEFAULT 'x  y' )")
        #expect(SchemaSnapshot.diff("a;\nb;\n", "a;\nc;\n") == "- b;\n+ c;")
    }
}

extension TestWorkspace {
    var releaserInProject: Principal { releaser }
}
