import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// One test per scheduling rule of DESIGN §3, on real SQLite files.
@Suite struct SchedulingRuleTests {
    @Test func stageGatingHoldsLaterStagesUntilEarlierOnesFinish() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([
            ("test", [("a", 0, "CREATE TABLE x(a); INSERT INTO missing VALUES (1);", [], nil)]),
            ("prod", [("b", 0, "CREATE TABLE x(a);", [], nil)]),
        ])
        // Its dry run fails, so the automatic rollout waits (rule 6) until someone starts the stage by hand.
        try t.runUntilIdle()
        #expect(try t.tasks(issue.id)[0].waitingCause?.hasPrefix("failed checks: dry run ERROR at line 1") == true)
        _ = try t.ws.runStage(by: t.dba, issue: issue.id)
        try t.runUntilIdle()
        var tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .failed)
        #expect(tasks[1].status == .notStarted)
        #expect(tasks[1].waitingCause == "waiting for stage test to finish")
        // A failed stage does not finish: prod cannot start.
        #expect(throws: SluiceError.self) { try t.ws.runStage(by: t.dba, issue: issue.id, environment: "prod") }
        do {
            _ = try t.ws.runStage(by: t.dba, issue: issue.id, environment: "prod")
        } catch let e as SluiceError {
            #expect(e.kind == .precondition)
            #expect(e.message.contains("stage test is not finished"))
        }
        // Skipping the failed task (with a reason) finishes the stage; prod may then run.
        _ = try t.ws.skipTask(by: t.dba, task: tasks[0].id, reason: "table created by hand")
        _ = try t.ws.runStage(by: t.dba, issue: issue.id, environment: "prod")
        try t.runUntilIdle()
        tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .skipped)
        #expect(tasks[1].status == .done)
        #expect(try t.ws.issue(issue.id, by: t.admin).status == .done)
    }

    @Test func tasksOnOneDatabaseRunOneAtATimeInPlanOrder() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [
            ("first", 0, slowSQL("a", rows: 150_000) + " CREATE TABLE log(step TEXT); INSERT INTO log VALUES ('first');", [], nil),
            ("second", 0, "INSERT INTO log VALUES ('second');", [], nil),
            ("third", 0, "INSERT INTO log VALUES ('third');", [], nil),
        ])])
        try t.runUntilIdle(workers: 8)
        let iv = try t.intervals(issue.id)
        let (f, s, th) = (try #require(iv["first"]), try #require(iv["second"]), try #require(iv["third"]))
        #expect(f.1 <= s.0 && s.1 <= th.0, "runs overlapped or ran out of order: \(iv)")
        let q = try t.count("test", 0, "SELECT COUNT(*) FROM log")
        #expect(q == 3)
        let order = try GRDBRead.strings(t.path("test", 0), "SELECT step FROM log ORDER BY rowid")
        #expect(order == ["first", "second", "third"])
    }

    @Test func aFailedTaskDoesNotBlockTheNextOnItsDatabase() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [
            ("broken", 0, "CREATE TABLE ok1(a);\nINSERT INTO nowhere VALUES (1);", [], nil),
            ("next", 0, "CREATE TABLE ok2(a);", [], nil),
        ])])
        _ = try t.ws.runStage(by: t.dba, issue: issue.id)  // its dry run fails: no automatic start
        try t.runUntilIdle()
        let tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .failed)
        #expect(tasks[0].latestRun?.message?.contains("line 2") == true)
        #expect(tasks[0].latestRun?.message?.contains("no such table: nowhere") == true)
        #expect(tasks[1].status == .done)
        // The failed task's transaction rolled back: ok1 does not exist.
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ok1'") == 0)
        #expect(try t.count("test", 0, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ok2'") == 1)
    }

    @Test func differentDatabasesRunConcurrently() throws {
        let t = try TestWorkspace(testTenants: 3)
        let issue = try t.issue([("test", (0..<3).map { i in ("s\(i)", i, slowSQL("big"), [], nil) })])
        try t.runUntilIdle(workers: 3)
        let iv = try t.intervals(issue.id).values
        #expect(iv.count == 3)
        let latestStart = iv.map(\.0).max() ?? 0
        let earliestFinish = iv.map(\.1).min() ?? 0
        #expect(latestStart < earliestFinish, "no moment when all three ran together: \(iv)")
    }

    @Test func instanceConnectionCapLimitsConcurrency() throws {
        let t = try TestWorkspace(testTenants: 4, maxConnections: 2)
        let issue = try t.issue([("test", (0..<4).map { i in ("s\(i)", i, slowSQL("big", rows: 200_000), [], nil) })])
        try t.runUntilIdle(workers: 8)
        let iv = Array(try t.intervals(issue.id).values)
        #expect(iv.count == 4)
        // At no run's start were more than 2 runs in flight.
        for (s, _) in iv {
            let inFlight = iv.filter { $0.0 <= s && $0.1 > s }.count
            #expect(inFlight <= 2, "\(inFlight) runs in flight on an instance capped at 2")
        }
    }

    @Test func aTaskWaitsForItsDependencies() throws {
        let t = try TestWorkspace(testTenants: 2)
        let issue = try t.issue([("test", [
            ("after", 1, "CREATE TABLE b(a);", ["before"], nil),
            ("before", 0, slowSQL("a", rows: 200_000), [], nil),
        ])])
        try t.runUntilIdle()
        let iv = try t.intervals(issue.id)
        let before = try #require(iv["before"]), after = try #require(iv["after"])
        #expect(after.0 >= before.1, "dependent spec started before its dependency finished")
    }

    @Test func dependencyCyclesAndForeignReferencesAreRejected() throws {
        let t = try TestWorkspace(testTenants: 2)
        #expect(performing: {
            try t.issue([("test", [("a", 0, "SELECT 1;", ["b"], nil), ("b", 1, "SELECT 1;", ["a"], nil)])])
        }, throws: { ($0 as? SluiceError)?.message.contains("cycle") == true })
        #expect(performing: {
            try t.issue([("test", [("a", 0, "SELECT 1;", [], nil)]), ("prod", [("b", 0, "SELECT 1;", ["a"], nil)])])
        }, throws: { ($0 as? SluiceError)?.message.contains("not in step") == true })
    }

    @Test func aTaskWaitsForItsEarliestAllowedTime() throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_900_000_000))
        let t = try TestWorkspace(clock: clock)
        let at = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_900_000_000 + 3600))
        let issue = try t.issue([("test", [("late", 0, "CREATE TABLE x(a);", [], at)])])
        try t.runUntilIdle()
        var task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .pending)
        #expect(task.waitingCause?.hasPrefix("scheduled for") == true)
        clock.advance(by: 3601)
        try t.runUntilIdle()
        task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .done)
    }

    @Test func automaticEnvironmentsRunByThemselvesManualOnesWait() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("a", 0, "CREATE TABLE x(a);", [], nil)]), ("prod", [("b", 0, "CREATE TABLE x(a);", [], nil)])])
        try t.runUntilIdle()
        var tasks = try t.tasks(issue.id)
        #expect(tasks[0].status == .done)
        #expect(tasks[1].status == .notStarted)
        #expect(tasks[1].waitingCause?.contains("manual rollout of stage prod") == true)
        // The developer may not roll out to prod; the DBA may.
        #expect(performing: { try t.ws.runStage(by: t.dev, issue: issue.id) },
                throws: { ($0 as? SluiceError)?.permission == "rollouts.run" })
        _ = try t.ws.runStage(by: t.dba, issue: issue.id)
        try t.runUntilIdle()
        tasks = try t.tasks(issue.id)
        #expect(tasks[1].status == .done)
    }

    @Test func automaticRolloutWaitsForApproval() throws {
        let t = try TestWorkspace()
        _ = try t.ws.addFlow(by: t.admin, name: "owner-dba", roles: ["owner", "dba"])
        _ = try t.ws.setApprovalRule(by: t.admin, source: "DDL", level: "LOW", flow: "owner-dba")
        let issue = try t.issue([("test", [("a", 0, "CREATE TABLE x(a);", [], nil)])])
        try t.runUntilIdle()
        var task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .notStarted)
        #expect(task.waitingCause == "waiting for approval")
        #expect(performing: { try t.ws.approve(by: t.dba, issue: issue.id) },
                throws: { ($0 as? SluiceError)?.kind == .permissionDenied }) // owner's step comes first
        _ = try t.ws.approve(by: t.owner, issue: issue.id)
        _ = try t.ws.approve(by: t.dba, issue: issue.id)
        try t.runUntilIdle()
        task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .done)
    }
}

/// Small direct reads of target files for assertions.
enum GRDBRead {
    static func strings(_ path: String, _ sql: String) throws -> [String] {
        let q = try GRDB.DatabaseQueue(path: path)
        return try q.read { db in try String.fetchAll(db, sql: sql) }
    }
}
