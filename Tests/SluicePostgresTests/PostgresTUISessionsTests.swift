import Foundation
import Testing
@testable import SluiceEngine
import SluiceTUI

/// The TUI's sessions view against the real server: a task sleeping in `pg_sleep` shows up in
/// its Logs tab with its state, wait event and query, loaded through the engine bridge.
@Suite struct PostgresTUISessionsTests {
    @Test func theLogsTabOfARunningTaskShowsTheServersSessions() throws {
        let t = try PostgresWorkspace(tag: "tui", perEnvironment: 1, environments: ["test"], testAutomatic: false)
        let issue = try t.issue([("test", [(id: "s", db: 0, sql: "SELECT pg_sleep(60);")])])
        _ = try t.ws.runStage(by: t.admin, issue: issue.id)
        let scheduler = try RolloutScheduler(workspace: t.ws)
        scheduler.start()
        defer { scheduler.stop(cancelRunning: true) }
        let store = Store(state: AppState(workspaceName: "pg", principal: t.admin), reducer: Reducer(), workspace: t.ws)

        // Waits for a condition, feeding the live events the app loop would (metastore changes, ticks).
        func waitFor(_ what: String, _ condition: (AppState) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                store.enqueue(.workspaceChanged)
                store.enqueue(.tick)
                if store.settle(until: condition, timeout: 0.3) { return true }
            }
            Issue.record("timed out waiting for \(what)")
            return false
        }
        guard waitFor("the task to run", { $0.detail?.stages.first?.tasks.first?.status == .running }) else { return }
        for key in [Key.char("3"), .char("j"), .enter] {
            store.dispatch(.key(key))
            store.settle()
        }
        #expect(store.state.tab == .logs)
        guard waitFor("the sleep in the sessions", { s in s.sessions.sessions.contains { $0.query.contains("pg_sleep(60)") && $0.state == "active" } })
        else { return }
        let text = Renderer.render(store.state, size: store.state.size).text
        #expect(text.contains("(pg_stat_activity) · "), "\(text)")
        #expect(text.contains("Timeout:PgSleep"), "\(text)")
        #expect(text.contains("SELECT pg_sleep(60);"), "\(text)")
        _ = try t.ws.cancelTask(by: t.admin, task: try #require(try t.tasks(issue.id).first).id)
    }
}
