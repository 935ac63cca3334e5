import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// The sessions view of a running task on PostgreSQL (Logs tab), without a server: the state
/// says the selected task runs on a PostgreSQL database, and sessions values are mapped in.
@Suite(.serialized) struct SessionsViewTests {
    let fixture: DemoFixture
    init() throws { fixture = try DemoFixture() }

    static let sleeping = DatabaseSession(pid: 4242, user: "postgres", application: "sluice", state: "active",
                                          waitEvent: "Timeout:PgSleep", queryStart: "2027-01-15T08:00:00.000Z", queryMs: 12_300,
                                          query: "CREATE TABLE marker (x int);\nSELECT pg_sleep(60)")
    static let blocked = DatabaseSession(pid: 4243, user: "app", application: "psql", state: "active",
                                         waitEvent: "Lock:relation", queryStart: "2027-01-15T08:00:05.250Z", queryMs: 7_050,
                                         query: "SELECT * FROM customers")
    static let idle = DatabaseSession(pid: 4244, user: "app", application: "psql", state: "idle in transaction",
                                      waitEvent: "Client:ClientRead", queryStart: "2027-01-15T07:59:00.000Z", queryMs: 71_000,
                                      query: "UPDATE orders SET total_cents = 0 WHERE id = 1")

    /// The demo as the DBA with the prod task of issue #2 shown as RUNNING on a PostgreSQL database,
    /// the Pipeline cursor on it; `engine` says what its database is.
    func runningTaskState(engine: DatabaseEngine = .postgres) throws -> (AppState, RolloutTask) {
        var s = fixture.store(as: DemoFixture.dba).state
        var d = try #require(s.detail)
        let si = try #require(d.stages.firstIndex { $0.stage.environment == "prod" })
        d.stages[si].tasks[0].status = .running
        s.detail = d
        let task = d.stages[si].tasks[0]
        let db = try #require(s.databases.firstIndex { $0.id == task.databaseId })
        s.databases[db].engine = engine
        s.pipelineIndex = try #require(s.pipeline.firstIndex(of: .task(stage: si, task: 0)))
        s.focus = .pipeline
        return (s, task)
    }

    @Test func openingTheRunningTaskLoadsItsSessionsAndEachTickRefreshesThem() throws {
        var (s, task) = try runningTaskState()
        let r = Reducer()
        let effects = r.reduce(&s, .key(.enter))
        #expect(s.tab == .logs)
        #expect(effects == [.loadLog(task: task.id, after: 0), .loadSessions(task: task.id)])
        #expect(s.sessions.taskId == task.id && !s.sessions.loaded)
        #expect(r.reduce(&s, .tick) == [.loadSessions(task: task.id)])
        // Results for another task (a late answer) are dropped; this task's are kept.
        _ = r.reduce(&s, .sessionsLoaded(task: task.id + 100, sessions: [Self.idle], error: nil))
        #expect(!s.sessions.loaded)
        _ = r.reduce(&s, .sessionsLoaded(task: task.id, sessions: [Self.sleeping], error: nil))
        #expect(s.sessions.sessions == [Self.sleeping] && s.sessions.loaded)
        // Paused: no refresh.
        _ = r.reduce(&s, .key(.char("p")))
        #expect(r.reduce(&s, .tick).isEmpty)
        _ = r.reduce(&s, .key(.char("p")))
        // Another tab: the view is gone and ticks load nothing.
        _ = r.reduce(&s, .key(.char("]")))
        #expect(s.sessions.taskId == nil)
        #expect(r.reduce(&s, .tick).isEmpty)
    }

    @Test func nothingIsLoadedForSQLiteOrForATaskThatIsNotRunning() throws {
        var (s, _) = try runningTaskState(engine: .sqlite)
        #expect(!Reducer().reduce(&s, .key(.enter)).contains { if case .loadSessions = $0 { return true }; return false })
        #expect(Reducer().reduce(&s, .tick).isEmpty)

        var (pg, task) = try runningTaskState()
        _ = Reducer().reduce(&pg, .key(.enter))
        _ = Reducer().reduce(&pg, .sessionsLoaded(task: task.id, sessions: [Self.sleeping], error: nil))
        // The task finishes: the next issue load hides the view.
        var d = try #require(pg.detail)
        let si = try #require(d.stages.firstIndex { $0.stage.environment == "prod" })
        d.stages[si].tasks[0].status = .done
        _ = Reducer().reduce(&pg, .issueLoaded(IssueSnapshot(detail: d, sheets: [:], availability: pg.availability)))
        #expect(pg.sessions == SessionsState())
        #expect(!pg.frame.text.contains("pg_stat_activity"))
    }

    @Test func rowsShowPidStateWaitStartAndTheQueryOnOneLine() {
        setenv("TZ", "UTC", 1)
        tzset()
        let vm = SessionsViewModel(SessionsState(taskId: 1, sessions: [Self.sleeping, Self.blocked, Self.idle], loaded: true),
                                   database: "pgprod/shop")
        #expect(vm.title == "Sessions on pgprod/shop (pg_stat_activity) · 3")
        #expect(vm.note == nil)
        #expect(vm.rows[0] == SessionsViewModel.Row(pid: "4242", state: "active", wait: "Timeout:PgSleep", started: "08:00:00 12.3s",
                                                    query: "CREATE TABLE marker (x int); SELECT pg_sleep(60)", role: .statusRunning))
        #expect(vm.rows[1].role == .statusBlocked, "a session waiting on a lock stands out")
        #expect(vm.rows[2].role == .checkWarning && vm.rows[2].started == "07:59:00 71.0s" && vm.rows[2].state == "idle in txn")
        #expect(SessionsViewModel(SessionsState(taskId: 1), database: "d").note == "loading sessions…")
        #expect(SessionsViewModel(SessionsState(taskId: 1, loaded: true), database: "d").note == "no other session on this database")
        let failed = SessionsViewModel(SessionsState(taskId: 1, error: "cannot connect", loaded: true), database: "d")
        #expect(failed.note == "cannot read the sessions: cannot connect" && failed.noteRole == .error)
    }

    @Test func thePanelTakesAboutHalfTheTabAndAlwaysLeavesTheLogALine() {
        let eight = SessionsViewModel(SessionsState(taskId: 1, sessions: Array(repeating: Self.sleeping, count: 8), loaded: true), database: "d")
        #expect(SessionsPanel.layout(eight, height: 27) == (10, 6), "title, header, 6 rows, … 2 more, a blank line")
        let three = SessionsViewModel(SessionsState(taskId: 1, sessions: [Self.sleeping, Self.blocked, Self.idle], loaded: true), database: "d")
        #expect(SessionsPanel.layout(three, height: 27) == (6, 3))
        #expect(SessionsPanel.layout(three, height: 5) == (4, 1))
        #expect(SessionsPanel.layout(three, height: 4) == (3, 1))
        #expect(SessionsPanel.layout(three, height: 2) == (0, 0))
        #expect(SessionsPanel.layout(SessionsViewModel(SessionsState(taskId: 1), database: "d"), height: 27) == (3, 0))
    }

    @Test func theLogsTabFrameWithSessions() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        var (s, task) = try runningTaskState()
        _ = Reducer().reduce(&s, .key(.enter))
        _ = Reducer().reduce(&s, .sessionsLoaded(task: task.id, sessions: [Self.sleeping, Self.blocked, Self.idle], error: nil))
        SnapshotTests.fixTimes(&s)
        let frame = Renderer.render(s, size: s.size)
        Snapshot.check(frame, named: "logs-sessions-120x36")
        #expect(frame.text.contains("4243  active       Lock:relation      08:00:05 7.0s   SELECT * FROM customers"))
        // At 80×24 the panel still lists a session and the count, and leaves the log a line.
        let small = Renderer.render(s, size: Size(width: 80, height: 24)).text
        #expect(small.contains("(pg_stat_activity) · 3") && small.contains("4242  active"), "\(small)")
    }
}

extension AppState {
    var frame: Frame { Renderer.render(self, size: size) }
}
