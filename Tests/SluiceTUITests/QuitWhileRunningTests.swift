import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// Quitting while the in-process engine runs tasks: the dialog says what runs where, each
/// choice asks the app for its shutdown, and a second ctrl-c leaves the runs to `sluice run`.
@Suite struct QuitWhileRunningTests {
    let fixture: DemoFixture
    init() throws { fixture = try DemoFixture() }

    static let held = [HeldRun(run: 7, task: 5, issue: 3, database: "sqlite-test/app")]

    func running() -> AppState {
        var s = fixture.store(as: DemoFixture.dba).state
        _ = Reducer().reduce(&s, .runningChanged(Self.held))
        return s
    }

    @Test func quittingWithNothingRunningQuitsAtOnce() {
        var s = fixture.store(as: DemoFixture.dba).state
        #expect(Reducer().reduce(&s, .key(.char("q"))) == [.quit])
        var t = fixture.store(as: DemoFixture.dba).state
        #expect(Reducer().reduce(&t, .key(.ctrl("c"))) == [.quit])
    }

    @Test(arguments: [Key.char("q"), Key.ctrl("c")])
    func quittingWhileATaskRunsAsksAndSaysWhatRunsWhere(key: Key) {
        var s = running()
        let effects = Reducer().reduce(&s, .key(key))
        #expect(effects.isEmpty, "nothing leaves before the member chose")
        #expect(s.dialog == .quit)
        let text = Renderer.render(s, size: s.size).text
        #expect(text.contains("1 task is running on sqlite-test/app"), "\(text)")
        #expect(text.contains("wait for it to end, then quit"))
        #expect(text.contains("leave it to `sluice run`"))
        #expect(text.contains("cancel it (rolled back), then quit"))
        #expect(text.contains("ctrl-c again (or q) leaves it to `sluice run`, at once."))
    }

    @Test(arguments: [(Key.char("w"), ShutdownMode.wait), (Key.char("c"), .cancel), (Key.char("l"), .release), (Key.ctrl("c"), .release)])
    func eachChoiceAsksTheAppForItsShutdown(key: Key, mode: ShutdownMode) {
        var s = running()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("q")))
        #expect(r.reduce(&s, .key(key)) == [.shutdown(mode)])
        #expect(s.dialog == nil)
        #expect(s.shutdown == mode)
        if mode != .release {
            // While waiting or canceling the status line says so, and ctrl-c leaves at once.
            let bar = Renderer.render(s, size: s.size).text.split(separator: "\n").last.map(String.init) ?? ""
            #expect(bar.contains(mode == .wait ? "quitting once 1 task on sqlite-test/app ends" : "canceling 1 task on sqlite-test/app"), "\(bar)")
            #expect(bar.contains("ctrl-c leaves it to `sluice run` now"))
            #expect(r.reduce(&s, .key(.ctrl("c"))) == [.shutdown(.release)])
            #expect(s.shutdown == .release)
        }
    }

    @Test func theEngineStoppingQuits() {
        var s = running()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("q")))
        _ = r.reduce(&s, .key(.char("w")))
        #expect(r.reduce(&s, .shutdownFinished) == [.quit])
    }

    @Test func theTaskEndingWhileTheDialogIsOpenQuitsAsAsked() {
        var s = running()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("q")))
        #expect(r.reduce(&s, .runningChanged([])) == [.quit])
    }

    @Test func escStaysAndTheAppCanStillBlockAQuit() {
        var s = running()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("q")))
        #expect(r.reduce(&s, .key(.esc)).isEmpty)
        #expect(s.dialog == nil && s.shutdown == nil)
        // The app found a run the state had not heard of yet.
        var t = fixture.store(as: DemoFixture.dba).state
        _ = r.reduce(&t, .quitBlocked(Self.held + [HeldRun(run: 8, task: 6, issue: 3, database: "sqlite-prod/app")]))
        #expect(t.dialog == .quit)
        #expect(Renderer.render(t, size: t.size).text.contains("2 tasks are running on sqlite-test/app, sqlite-prod/app"))
    }
}

/// The engine side of leaving: what a runner holds, and releasing it to the next runner.
@Suite struct SchedulerReleaseTests {
    @Test func releasedRunsAreSettledByTheNextRunnerNotAbandoned() throws {
        let fixture = try DemoFixture()
        let ws = fixture.workspace
        // Issue #2's prod task, queued by the DBA; claimed by a runner that then leaves.
        _ = try ws.runStage(by: DemoFixture.dba, issue: 2, environment: "prod")
        let leaving = try RolloutScheduler(workspace: ws, options: .init(workers: 1))
        let claimed = try leaving.claim(max: 1)
        #expect(claimed.count == 1)
        let held = try leaving.heldRuns()
        #expect(held.map(\.database) == ["sqlite-prod/app"])
        #expect(try leaving.release() == held)
        #expect(try leaving.heldRuns().isEmpty)
        // The next runner settles the released run at once (no lease to wait out) and runs the task again.
        let next = try RolloutScheduler(workspace: ws, options: .init(workers: 1))
        try next.runUntilIdle()
        let detail = try ws.issueDetail(2, by: DemoFixture.dba)
        let prod = try #require(detail.stages.last?.tasks.first)
        #expect(prod.status == .done)
        let log = try ws.taskLog(task: prod.id, by: DemoFixture.dba, after: 0)
        #expect(log.lines.contains { $0.message?.contains("released by its runner") == true })
        #expect(log.runs.count == 2, "the released attempt, then the one that ran")
    }
}
