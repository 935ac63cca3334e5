import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Rollouts to real PostgreSQL databases through the real scheduler and driver.
@Suite struct PostgresRolloutTests {
    @Test func twentyDatabasesOnTwoInstancesRollOutStageByStageInPlanOrder() throws {
        let t = try PostgresWorkspace(tag: "fan", perEnvironment: 10)
        let steps = ["test", "prod"].map { env in
            (env, (0..<10).flatMap { i in [
                (id: "\(env)\(i)-a", db: i, sql: "CREATE TABLE steps (n int, at timestamptz DEFAULT clock_timestamp());\nINSERT INTO steps (n) VALUES (1);"),
                (id: "\(env)\(i)-b", db: i, sql: "INSERT INTO steps (n) VALUES (2);"),
            ] })
        }
        let issue = try t.issue(steps)
        try t.runUntilIdle()
        // test is automatic; prod is manual and waits for someone to start it.
        var tasks = try t.tasks(issue.id)
        #expect(tasks.filter { $0.environment == "test" }.allSatisfy { $0.status == .done }, "\(tasks.map { $0.latestRun?.message ?? "" })")
        #expect(tasks.filter { $0.environment == "prod" }.allSatisfy { $0.status == .notStarted })
        #expect(try t.count("prod", 0, "SELECT count(*) FROM pg_tables WHERE tablename = 'steps'") == 0)
        _ = try t.ws.runStage(by: t.admin, issue: issue.id, environment: "prod")
        try t.runUntilIdle()
        tasks = try t.tasks(issue.id)
        #expect(tasks.allSatisfy { $0.status == .done }, "\(tasks.map { $0.latestRun?.message ?? "" })")
        let lastTest = tasks.filter { $0.environment == "test" }.compactMap { $0.latestRun?.finishedAt }.max()
        let firstProd = tasks.filter { $0.environment == "prod" }.compactMap { $0.latestRun?.startedAt }.min()
        #expect(try #require(firstProd) >= (try #require(lastTest)))
        for env in ["test", "prod"] {
            for i in 0..<10 {
                // Per-database order: spec a before spec b, each exactly once, each recorded.
                #expect(try t.count(env, i, "SELECT count(*) FROM steps") == 2)
                #expect(try t.count(env, i, "SELECT (array_agg(n ORDER BY at))[1] * 10 + (array_agg(n ORDER BY at))[2] FROM steps") == 12)
                #expect(try t.count(env, i, "SELECT count(*) FROM sluice_migration_history WHERE status = 'DONE'") == 2)
            }
        }
        // The history and the schema it recorded are readable through the engine.
        let history = try t.ws.history(t.ref("prod", 3), by: t.admin)
        #expect(history.count == 2)
        #expect(history.first?.schemaAfter.contains("CREATE TABLE public.steps (n integer, at timestamp with time zone DEFAULT clock_timestamp())") == true)
        #expect(history.first?.schemaBefore.contains("steps") == false)
    }

    @Test func aFailingStatementFailsThatTaskOnlyAndRollsItBack() throws {
        let t = try PostgresWorkspace(tag: "fail", perEnvironment: 3, environments: ["test"])
        let good = "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);"
        let bad = "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES ('not a number');"
        let issue = try t.issue([("test", [(id: "s0", db: 0, sql: good), (id: "s1", db: 1, sql: bad), (id: "s2", db: 2, sql: good)])])
        // The dry run already caught the bad statement, so the automatic rollout waits; start it by hand.
        let waiting = try t.tasks(issue.id)[1]
        #expect(waiting.waitingCause?.contains("failed checks") == true, "\(waiting.waitingCause ?? "no cause")")
        _ = try t.ws.runStage(by: t.admin, issue: issue.id)
        try t.runUntilIdle()
        let tasks = try t.tasks(issue.id)
        #expect(tasks.map(\.status) == [.done, .failed, .done])
        let message = try #require(tasks[1].latestRun?.message)
        #expect(message.contains("line 3, column 23"), "\(message)")
        #expect(message.contains("invalid input syntax for type integer"), "\(message)")
        #expect(message.contains("rolled back"))
        #expect(try t.count("test", 1, "SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'sluice_migration_history')") == 0)
        #expect(try t.count("test", 0, "SELECT count(*) FROM a") == 1)
        #expect(try t.count("test", 2, "SELECT count(*) FROM a") == 1)
        // The log names the failing statement with its position.
        let log = try t.ws.taskLog(task: tasks[1].id, by: t.admin).lines
        let error = try #require(log.first { $0.kind == "ERROR" })
        #expect(error.statementIndex == 2 && error.line == 3 && error.column == 23)
    }

    @Test func createIndexConcurrentlyRunsOutsideATransaction() throws {
        let t = try PostgresWorkspace(tag: "cic", perEnvironment: 1, environments: ["test"])
        let sql = "CREATE TABLE big (x int);\nINSERT INTO big SELECT generate_series(1, 1000);\nCREATE INDEX CONCURRENTLY big_x ON big (x);"
        let issue = try t.issue([("test", [(id: "i", db: 0, sql: sql)])], version: "0001")
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .done, "\(task.latestRun?.message ?? "")")
        let flagged = try t.ws.store.read { db in try Bool.fetchOne(db, sql: "SELECT nonTransactional FROM taskRun WHERE task = ?", arguments: [task.id]) }
        #expect(flagged == true)
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'big_x' AND i.indisvalid") == 1)
        #expect(try t.count("test", 0, "SELECT count(*) FROM sluice_migration_history WHERE version = '0001'") == 1)
        let log = try t.ws.taskLog(task: task.id, by: t.admin).lines
        #expect(log.contains { $0.message?.contains("CREATE INDEX CONCURRENTLY (line 3) cannot run in a transaction") == true })
        // The same version again is refused.
        let again = try t.issue([("test", [(id: "i", db: 0, sql: "SELECT 1;")])], version: "0001")
        try t.runUntilIdle()
        let refused = try #require(try t.tasks(again.id).first)
        #expect(refused.status == .failed)
        #expect(refused.latestRun?.message?.contains("version 0001 is already applied") == true)
    }

    @Test func aSheetThatControlsTransactionsItselfIsRefused() throws {
        let t = try PostgresWorkspace(tag: "txn", perEnvironment: 1, environments: ["test"])
        let issue = try t.issue([("test", [(id: "x", db: 0, sql: "CREATE TABLE a (x int);\nCOMMIT;\nCREATE TABLE b (x int);")])])
        // Refused by the plan checks (an ERROR holds the automatic stage), never run, not even by the dry run.
        let refusal = try #require(try t.ws.planChecks(issue: issue.id, by: t.admin).flatMap(\.results).first { $0.title == "refused by the sheet policy" })
        #expect(refusal.status == .error && refusal.line == 2 && refusal.column == 1 && refusal.content.contains("COMMIT"), "\(refusal)")
        try t.runUntilIdle()
        let task = try #require(try t.tasks(issue.id).first)
        #expect(task.status == .notStarted)
        // A run forced past the checks is refused by the executor too.
        _ = try t.ws.runStage(by: t.admin, issue: issue.id, environment: "test")
        try t.runUntilIdle()
        let forced = try #require(try t.tasks(issue.id).first)
        #expect(forced.status == .failed)
        #expect(forced.latestRun?.message?.contains("refused by the sheet policy: line 2, column 1: COMMIT is refused") == true, "\(forced.latestRun?.message ?? "")")
        #expect(try t.count("test", 0, "SELECT count(*) FROM pg_tables WHERE tablename = 'a'") == 0)
    }
}
