import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Cancel, killed backends, and the sessions view, on a real server.
@Suite struct PostgresInterruptionTests {
    /// Waits until `condition` holds (or 20 s pass).
    func wait(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while try !condition() {
            guard Date() < deadline else { throw TestServer.Failure(description: "timed out waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    @Test func cancelStopsALongSleepAndRollsBack() throws {
        let t = try PostgresWorkspace(tag: "cancel", perEnvironment: 1, environments: ["test"], testAutomatic: false)
        let issue = try t.issue([("test", [(id: "s", db: 0, sql: "CREATE TABLE marker (x int);\nSELECT pg_sleep(60);")])])
        _ = try t.ws.runStage(by: t.admin, issue: issue.id)
        let scheduler = try RolloutScheduler(workspace: t.ws)
        scheduler.start()
        defer { scheduler.stop(cancelRunning: true) }
        let task = try #require(try t.tasks(issue.id).first)
        // The sessions view shows the running statement, waiting on its timeout.
        var sleeping: DatabaseSession?
        try wait("pg_sleep to show in the sessions") {
            sleeping = try t.ws.sessions(task: task.id, by: t.admin).first { $0.query.contains("pg_sleep(60)") && $0.state == "active" && !$0.waitEvent.isEmpty }
            return sleeping != nil
        }
        // The task's session carries its run, so a fence can find it if its runner stalls.
        #expect(sleeping?.application.hasPrefix("sluice ") == true && sleeping?.application.hasSuffix(" run \(task.latestRun?.id ?? -1)") == true,
                "\(sleeping?.application ?? "")")
        #expect(sleeping?.waitEvent == "Timeout:PgSleep")
        let started = Date()
        _ = try t.ws.cancelTask(by: t.admin, task: task.id)
        try wait("the task to end") { try t.tasks(issue.id).first?.status != .running }
        #expect(Date().timeIntervalSince(started) < 5)
        let after = try #require(try t.tasks(issue.id).first)
        #expect(after.status == .canceled, "\(after.latestRun?.message ?? "")")
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'") == 0)
        // The server ends the canceled statement promptly (allow it a moment to notice).
        try wait("the server to end the canceled pg_sleep") {
            try TestServer.int("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND pid <> pg_backend_pid()",
                               database: t.name("test", 0)) == 0
        }
    }

    @Test func aKilledBackendFailsTheTaskWithTheServersMessageAndARetrySucceeds() throws {
        let t = try PostgresWorkspace(tag: "kill", perEnvironment: 1, environments: ["test"], testAutomatic: false)
        let db = t.name("test", 0)
        try TestServer.query("CREATE TABLE slow_marker ()", database: db)
        // Sleeps only while slow_marker exists, so the retry runs straight through.
        let sql = "CREATE TABLE done (x int);\nSELECT pg_sleep(CASE WHEN to_regclass('slow_marker') IS NULL THEN 0 ELSE 60 END);\nINSERT INTO done VALUES (1);"
        let issue = try t.issue([("test", [(id: "k", db: 0, sql: sql)])])
        _ = try t.ws.runStage(by: t.admin, issue: issue.id)
        let scheduler = try RolloutScheduler(workspace: t.ws)
        scheduler.start()
        defer { scheduler.stop(cancelRunning: true) }
        try wait("the sleep to start") {
            try t.ws.sessions(t.ref("test", 0), by: t.admin).contains { $0.query.contains("pg_sleep(CASE") && $0.state == "active" }
        }
        try TestServer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(db)' AND query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()")
        try wait("the task to fail") { try t.tasks(issue.id).first?.status == .failed }
        let failed = try #require(try t.tasks(issue.id).first)
        let message = try #require(failed.latestRun?.message)
        #expect(message.contains("terminating connection due to administrator command"), "\(message)")
        #expect(message.contains("line 2, column 1"), "\(message)")
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_tables WHERE tablename = 'done'") == 0)
        try TestServer.query("DROP TABLE slow_marker", database: db)
        _ = try t.ws.retryTask(by: t.admin, task: failed.id)
        scheduler.poke()
        try wait("the retry to finish") { try t.tasks(issue.id).first?.status == .done }
        #expect(try t.tasks(issue.id).first?.latestRun?.attempt == 2)
        #expect(try t.count("test", 0, "SELECT count(*) FROM done") == 1)
        #expect(try t.count("test", 0, "SELECT count(*) FROM sluice_migration_history") == 1)
    }

    @Test func lockTimeoutFromTheInstanceSettingsEndsAWaitingTask() throws {
        let t = try PostgresWorkspace(tag: "lock", perEnvironment: 1, environments: ["test"], testAutomatic: false)
        _ = try t.ws.updatePostgresInstance(by: t.admin, name: "pgtest", lockTimeoutMs: 300)
        let db = t.name("test", 0)
        try TestServer.query("CREATE TABLE busy (x int)", database: db)
        let issue = try t.issue([("test", [(id: "l", db: 0, sql: "ALTER TABLE busy ADD COLUMN y int;")])])
        _ = try t.ws.runStage(by: t.admin, issue: issue.id)
        // Hold a conflicting lock from another session while the task runs.
        let holder = Thread {
            _ = try? TestServer.query("BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE; SELECT pg_sleep(3); COMMIT;", database: db)
        }
        holder.start()
        try wait("the lock to be held") {
            try TestServer.int("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'busy' AND l.granted", database: db) > 0
        }
        let started = Date()
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .failed)
        #expect(task.latestRun?.message?.contains("canceling statement due to lock timeout") == true, "\(task.latestRun?.message ?? "")")
        #expect(Date().timeIntervalSince(started) < 2.5)
    }
}
